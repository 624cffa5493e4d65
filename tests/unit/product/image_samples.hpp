#pragma once
// The smallest byte strings each image reader accepts: a signature and a header giving a
// size. Nothing decodes pixels, so a header is all an image needs to be taken for one.
#include <cstdint>
#include <string>

namespace shop::test {

inline void put_be(std::string& s, std::uint32_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
inline void put_le(std::string& s, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

inline std::string png_bytes(std::uint32_t w, std::uint32_t h) {
    std::string s("\x89PNG\r\n\x1a\n", 8);
    put_be(s, 13, 4);
    s += "IHDR";
    put_be(s, w, 4);
    put_be(s, h, 4);
    s += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB
    put_be(s, 0, 4);                              // CRC (not checked)
    return s;
}

// SOI, an APP0 (JFIF) segment to skip, then a baseline SOF0 with the size.
inline std::string jpeg_bytes(std::uint32_t w, std::uint32_t h, unsigned char sof = 0xC0) {
    std::string s("\xFF\xD8", 2);
    s += std::string("\xFF\xE0", 2);
    put_be(s, 16, 2);
    s += std::string("JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00", 14);
    s += std::string("\xFF", 1);
    s.push_back(static_cast<char>(sof));
    put_be(s, 17, 2);
    s.push_back(8);  // precision
    put_be(s, h, 2);
    put_be(s, w, 2);
    s += std::string(10, '\x01');
    s += std::string("\xFF\xD9", 2);
    return s;
}

inline std::string riff(const std::string& chunk, const std::string& payload) {
    std::string s = "RIFF";
    put_le(s, static_cast<std::uint32_t>(4 + 8 + payload.size()), 4);
    s += "WEBP" + chunk;
    put_le(s, static_cast<std::uint32_t>(payload.size()), 4);
    return s + payload;
}

inline std::string webp_lossy_bytes(std::uint32_t w, std::uint32_t h) {
    std::string p("\x30\x01\x00\x9d\x01\x2a", 6);  // frame tag, start code
    put_le(p, w, 2);
    put_le(p, h, 2);
    p += std::string(8, '\0');
    return riff("VP8 ", p);
}

inline std::string webp_lossless_bytes(std::uint32_t w, std::uint32_t h) {
    std::string p("\x2f", 1);
    put_le(p, (w - 1) | ((h - 1) << 14), 4);
    p += std::string(8, '\0');
    return riff("VP8L", p);
}

inline std::string webp_extended_bytes(std::uint32_t w, std::uint32_t h) {
    std::string p(4, '\0');  // flags and reserved
    put_le(p, w - 1, 3);
    put_le(p, h - 1, 3);
    p += std::string(8, '\0');
    return riff("VP8X", p);
}

}  // namespace shop::test
