#pragma once
// What an uploaded image is, read from its bytes alone: the type from its signature and
// the size in pixels from its header (JPEG SOF segment, PNG IHDR, WebP VP8/VP8L/VP8X). No
// image library: nothing is decoded, only a few header bytes read, all bounds-checked.
#include <optional>
#include <string>
#include <string_view>

namespace shop::product {

struct ImageInfo {
    std::string content_type;  // image/jpeg, image/png or image/webp
    int width = 0;
    int height = 0;
};

// nullopt unless the bytes start like a JPEG, PNG or WebP image and its header gives a
// width and height of at least one pixel.
std::optional<ImageInfo> inspect_image(std::string_view bytes);

}  // namespace shop::product
