#pragma once
// Images for the demo catalogue, drawn here so `--demo` needs no files: a small PNG per
// category, two colours picked from the category's key, in a pattern of its own.
#include <string>
#include <string_view>

namespace shop::product {

// A valid 64 x 64 PNG (8-bit palette, stored deflate blocks: nothing to compress with).
std::string demo_image_png(std::string_view key);

}  // namespace shop::product
