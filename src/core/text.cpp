#include "shop/core/text.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace shop::core {

namespace {

// Length of the valid UTF-8 sequence starting at s[i] (not U+0000), or 0 when there is none.
std::size_t sequence_at(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return 0;
    if (c < 0x80) return 1;
    int n;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) n = 1, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) n = 2, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) n = 3, cp = c & 0x07;
    else return 0;
    if (i + static_cast<std::size_t>(n) >= s.size()) return 0;  // truncated sequence
    for (int k = 1; k <= n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return static_cast<std::size_t>(n) + 1;
}

}  // namespace

bool storable_text(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = sequence_at(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

bool storable_json_text(const nlohmann::json& v) {
    if (v.is_string()) return storable_text(v.get_ref<const std::string&>());
    if (v.is_object()) {
        for (const auto& [k, e] : v.items())
            if (!storable_text(k) || !storable_json_text(e)) return false;
    } else if (v.is_array()) {
        for (const auto& e : v)
            if (!storable_json_text(e)) return false;
    }
    return true;
}

}  // namespace shop::core
