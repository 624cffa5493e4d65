#pragma once
// The storefront's files as compiled into the binary (modules/pages/web, listed in
// CMakeLists.txt): a name such as "app.js" and its text.
#include <span>
#include <string_view>

namespace shop::pages {

struct WebFile {
    std::string_view name;
    std::string_view text;
};

extern const std::span<const WebFile> kWebFiles;

}  // namespace shop::pages
