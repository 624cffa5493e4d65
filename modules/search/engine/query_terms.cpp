#include "query_terms.hpp"

#include <cstdint>

namespace shop::search {

std::int32_t decode_utf8(std::string_view s, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 ? 2 : 0;
    if (len == 0 || b0 > 0xF4 || i + static_cast<std::size_t>(len) > s.size()) return -1;
    std::int32_t cp = b0 & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
        unsigned char b = byte(i + static_cast<std::size_t>(k));
        if ((b & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr std::int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += static_cast<std::size_t>(len);
    return cp;
}

bool word_separator(std::int32_t cp) {
    if (cp < 0x80) {
        bool alnum = (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
        return !alnum;
    }
    if (cp <= 0xBF) {
        // Latin-1 punctuation and symbols, but not ª ² ³ µ ¹ º ¼ ½ ¾ (letters and numbers).
        switch (cp) {
            case 0xAA: case 0xB2: case 0xB3: case 0xB5: case 0xB9: case 0xBA: case 0xBC: case 0xBD: case 0xBE:
                return false;
            default:
                return true;
        }
    }
    if (cp == 0xD7 || cp == 0xF7) return true;                        // × ÷
    if (cp >= 0x2000 && cp <= 0x206F) return true;                    // general punctuation, spaces
    if (cp >= 0x20A0 && cp <= 0x20CF) return true;                    // currency symbols
    if (cp >= 0x2190 && cp <= 0x2BFF) return true;                    // arrows, maths, shapes, dingbats
    if (cp >= 0x3000 && cp <= 0x3004) return true;                    // CJK space and punctuation
    if (cp >= 0x3008 && cp <= 0x3020) return true;                    // CJK brackets
    if (cp >= 0xFE30 && cp <= 0xFE4F) return true;                    // CJK compatibility forms
    if (cp >= 0xFF01 && cp <= 0xFF0F) return true;                    // fullwidth punctuation
    if (cp >= 0xFF1A && cp <= 0xFF20) return true;
    if (cp >= 0xFF3B && cp <= 0xFF40) return true;
    if (cp >= 0xFF5B && cp <= 0xFF65) return true;
    if (cp == 0xFEFF) return true;                                    // byte order mark
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return true;                  // emoji and pictographs
    return false;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();)
        if (decode_utf8(s, i) < 0) return false;
    return true;
}

std::optional<std::vector<std::string>> query_words(std::string_view q) {
    std::vector<std::string> words;
    std::string current;
    for (std::size_t i = 0; i < q.size();) {
        std::size_t start = i;
        std::int32_t cp = decode_utf8(q, i);
        if (cp < 0) return std::nullopt;
        if (word_separator(cp)) {
            if (!current.empty()) words.push_back(std::move(current));
            current.clear();
        } else {
            current.append(q.substr(start, i - start));
        }
    }
    if (!current.empty()) words.push_back(std::move(current));
    return words;
}

}  // namespace shop::search
