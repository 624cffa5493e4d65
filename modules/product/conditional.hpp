#pragma once
// Conditional requests on a product (RFC 9110 section 13): the ETag is the product's
// version as a strong entity tag, e.g. "7" with the quotes.
#include <cstdint>
#include <string>
#include <string_view>

namespace shop::product {

std::string etag_for(std::int64_t version);

// If-None-Match: true when the header is "*" or lists the current tag; weak comparison,
// so W/"7" matches "7".
bool none_match_hits(std::string_view header, std::int64_t version);
// The same against any tag's opaque part (what is between the quotes).
bool none_match_hits(std::string_view header, std::string_view opaque);

// If-Match: true when the header is "*" or lists the current tag; strong comparison, so a
// weak tag never matches.
bool match_allows(std::string_view header, std::int64_t version);

}  // namespace shop::product
