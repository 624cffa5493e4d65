#include "query_terms.hpp"

#include <cstdint>

#include <utf8.h>

namespace shop::search {

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
    // utfcpp, the validator stored text uses too (core::storable_text): truncated and
    // overlong sequences, surrogates and code points past U+10FFFF are refused.
    return utf8::find_invalid(s.begin(), s.end()) == s.end();
}

std::optional<std::vector<std::string>> query_words(std::string_view q) {
    if (!valid_utf8(q)) return std::nullopt;
    std::vector<std::string> words;
    std::string current;
    for (auto it = q.begin(); it != q.end();) {
        auto start = it;
        // Checked above, so decoding needs no checks of its own.
        auto cp = static_cast<std::int32_t>(utf8::unchecked::next(it));
        if (word_separator(cp)) {
            if (!current.empty()) words.push_back(std::move(current));
            current.clear();
        } else {
            current.append(start, it);
        }
    }
    if (!current.empty()) words.push_back(std::move(current));
    return words;
}

}  // namespace shop::search
