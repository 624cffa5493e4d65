#include "image_info.hpp"

#include <cstdint>

namespace shop::product {

namespace {

std::uint32_t byte(std::string_view b, std::size_t i) { return static_cast<unsigned char>(b[i]); }
std::uint32_t be16(std::string_view b, std::size_t i) { return byte(b, i) << 8 | byte(b, i + 1); }
std::uint32_t be32(std::string_view b, std::size_t i) { return be16(b, i) << 16 | be16(b, i + 2); }
std::uint32_t le16(std::string_view b, std::size_t i) { return byte(b, i) | byte(b, i + 1) << 8; }
std::uint32_t le24(std::string_view b, std::size_t i) { return le16(b, i) | byte(b, i + 2) << 16; }

std::optional<ImageInfo> sized(const char* type, std::uint32_t w, std::uint32_t h) {
    // 2^24 is WebP's own limit and far beyond any photograph; it also keeps int safe.
    constexpr std::uint32_t kMax = 1u << 24;
    if (w == 0 || h == 0 || w > kMax || h > kMax) return std::nullopt;
    return ImageInfo{type, static_cast<int>(w), static_cast<int>(h)};
}

std::optional<ImageInfo> png(std::string_view b) {
    // Signature, then the IHDR chunk first: length 13, "IHDR", width, height (big-endian).
    if (b.size() < 24 || b.substr(12, 4) != "IHDR" || be32(b, 8) != 13) return std::nullopt;
    return sized("image/png", be32(b, 16), be32(b, 20));
}

std::optional<ImageInfo> jpeg(std::string_view b) {
    // Walk the segments after SOI until a start-of-frame marker, which holds the size.
    std::size_t i = 2;
    while (i + 4 <= b.size()) {
        if (byte(b, i) != 0xFF) return std::nullopt;
        std::uint32_t marker = byte(b, i + 1);
        if (marker == 0xFF) {  // fill byte
            ++i;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length follows
            i += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) return std::nullopt;  // end, or scan data before any frame
        std::uint32_t length = be16(b, i + 2);
        if (length < 2) return std::nullopt;
        bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            // length, precision, height, width
            if (length < 7 || i + 9 > b.size()) return std::nullopt;
            return sized("image/jpeg", be16(b, i + 7), be16(b, i + 5));
        }
        i += 2 + length;
    }
    return std::nullopt;
}

std::optional<ImageInfo> webp(std::string_view b) {
    if (b.size() < 30) return std::nullopt;
    std::string_view chunk = b.substr(12, 4);
    if (chunk == "VP8 ") {
        // A key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
        if (byte(b, 23) != 0x9D || byte(b, 24) != 0x01 || byte(b, 25) != 0x2A) return std::nullopt;
        return sized("image/webp", le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
    }
    if (chunk == "VP8L") {
        // Signature 0x2f, then width - 1 and height - 1 in 14 bits each, little-endian.
        if (byte(b, 20) != 0x2F) return std::nullopt;
        std::uint32_t bits = byte(b, 21) | byte(b, 22) << 8 | byte(b, 23) << 16 | byte(b, 24) << 24;
        return sized("image/webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
    }
    if (chunk == "VP8X") {
        // Canvas width - 1 and height - 1, 24 bits each, after a flags byte and 3 reserved ones.
        return sized("image/webp", le24(b, 24) + 1, le24(b, 27) + 1);
    }
    return std::nullopt;
}

}  // namespace

std::optional<ImageInfo> inspect_image(std::string_view b) {
    if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return png(b);
    if (b.size() >= 3 && byte(b, 0) == 0xFF && byte(b, 1) == 0xD8 && byte(b, 2) == 0xFF) return jpeg(b);
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return webp(b);
    return std::nullopt;
}

}  // namespace shop::product
