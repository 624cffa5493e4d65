#pragma once
// gzip (RFC 1952) for the files StaticFiles serves, compressed once at start-up, and the
// reading of a request's Accept-Encoding that decides whether to send that copy.
#include <string>
#include <string_view>

namespace shop::http {

// The gzip member of `data` at the best compression level; no file name or time is
// recorded, so the same input always gives the same bytes (and the same ETag).
std::string gzip(std::string_view data);

// Whether an Accept-Encoding header value accepts gzip: a `gzip`, `x-gzip` or `*` coding
// whose q is not 0 (RFC 9110 section 12.5.3), with `gzip;q=0` winning over `*`.
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace shop::http
