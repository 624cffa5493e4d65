#pragma once
// GET / and GET /admin/assets/{file}: the back office, HTML, CSS and JavaScript modules
// compiled into the binary (modules/analytics/web and the shared web/common, listed in
// CMakeLists.txt). The page (index.html) holds no data: its scripts sign in and use the
// public API like any other client. shop::http::StaticFiles serves them; this names the
// files and the back office's policy: only this origin's files run (no inline code at all)
// and only this origin's API is called.
#include <span>

#include "shop/http/static_files.hpp"

namespace shop::analytics {

// The embedded files (generated at build time).
extern const std::span<const http::EmbeddedFile> kBackOfficeFiles;

http::StaticFiles back_office(std::span<const http::EmbeddedFile> files = kBackOfficeFiles);

}  // namespace shop::analytics
