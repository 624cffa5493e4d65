#include "demo_images.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace shop::product {

namespace {

constexpr int kSide = 64;

std::uint32_t crc32(std::string_view data) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::uint32_t adler32(std::string_view data) {
    std::uint32_t a = 1, b = 0;
    for (unsigned char x : data) {
        a = (a + x) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

void put32(std::string& s, std::uint32_t v) {
    for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void chunk(std::string& png, std::string_view type, std::string_view payload) {
    put32(png, static_cast<std::uint32_t>(payload.size()));
    std::string body = std::string(type) + std::string(payload);
    png += body;
    put32(png, crc32(body));
}

// zlib stream of stored (uncompressed) deflate blocks.
std::string zlib_stored(std::string_view raw) {
    std::string z("\x78\x01", 2);
    std::size_t at = 0;
    do {
        const std::size_t n = std::min<std::size_t>(raw.size() - at, 65535);
        const bool last = at + n == raw.size();
        z.push_back(last ? 1 : 0);
        z.push_back(static_cast<char>(n & 0xFF));
        z.push_back(static_cast<char>(n >> 8));
        z.push_back(static_cast<char>(~n & 0xFF));
        z.push_back(static_cast<char>((~n >> 8) & 0xFF));
        z.append(raw.substr(at, n));
        at += n;
    } while (at < raw.size());
    put32(z, adler32(raw));
    return z;
}

}  // namespace

std::string demo_image_png(std::string_view key) {
    const std::uint32_t h = crc32(key);
    // Two colours from the key's hash: a light background, a stronger foreground.
    const unsigned char bg[3] = {static_cast<unsigned char>(180 + (h & 0x3F)),
                                 static_cast<unsigned char>(180 + ((h >> 6) & 0x3F)),
                                 static_cast<unsigned char>(180 + ((h >> 12) & 0x3F))};
    const unsigned char fg[3] = {static_cast<unsigned char>((h >> 18) & 0x7F),
                                 static_cast<unsigned char>((h >> 25) & 0x7F),
                                 static_cast<unsigned char>((h >> 4) & 0x7F)};
    const int pattern = static_cast<int>((h >> 8) % 3);

    std::string raw;
    raw.reserve(kSide * (kSide + 1));
    for (int y = 0; y < kSide; ++y) {
        raw.push_back(0);  // filter: none
        for (int x = 0; x < kSide; ++x) {
            const int dx = x - kSide / 2, dy = y - kSide / 2;
            bool on = pattern == 0   ? dx * dx + dy * dy < 20 * 20  // a disc
                      : pattern == 1 ? ((x + y) / 8) % 2 == 0       // diagonal stripes
                                     : (x / 16 + y / 16) % 2 == 0;  // a checkerboard
            raw.push_back(on ? 1 : 0);
        }
    }

    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string ihdr;
    put32(ihdr, kSide);
    put32(ihdr, kSide);
    ihdr += std::string("\x08\x03\x00\x00\x00", 5);  // 8-bit, palette
    chunk(png, "IHDR", ihdr);
    chunk(png, "PLTE", std::string(reinterpret_cast<const char*>(bg), 3) + std::string(reinterpret_cast<const char*>(fg), 3));
    chunk(png, "IDAT", zlib_stored(raw));
    chunk(png, "IEND", "");
    return png;
}

}  // namespace shop::product
