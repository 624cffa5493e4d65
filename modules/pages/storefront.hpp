#pragma once
// The storefront's files as HTTP answers. The page (index.html) is one shell for every
// /shop path, whose scripts route on the client; the other files are its assets.
// shop::http::StaticFiles serves them (a gzip copy to clients that accept it); this names
// the files and the storefront's policy: only same-origin scripts, styles, images and API
// calls (no inline code at all).
#include <span>

#include "shop/http/static_files.hpp"

namespace shop::pages {

// The storefront's files as compiled into the binary (modules/pages/web and the shared
// web/common, listed in CMakeLists.txt).
extern const std::span<const http::EmbeddedFile> kWebFiles;

http::StaticFiles storefront(std::span<const http::EmbeddedFile> files = kWebFiles);

}  // namespace shop::pages
