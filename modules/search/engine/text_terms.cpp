#include "text_terms.hpp"

#include <cstdint>
#include <iterator>

#include <utf8.h>

#include "query_terms.hpp"

namespace shop::search {

namespace {

// Latin-1 Supplement capitals and small letters from U+00C0, folded; 0 keeps the letter.
constexpr char kLatin1[64] = {
    'a', 'a', 'a', 'a', 'a', 'a', 0, 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',  // U+00C0
    0,   'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y', 0,   0,    // U+00D0
    'a', 'a', 'a', 'a', 'a', 'a', 0, 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',  // U+00E0
    0,   'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y', 0,   'y',  // U+00F0
};

// Latin Extended-A (U+0100..U+017F) as runs folding to one ASCII letter.
struct Run {
    std::int32_t first, last;
    char base;
};
constexpr Run kLatinA[] = {
    {0x100, 0x105, 'a'}, {0x106, 0x10D, 'c'}, {0x10E, 0x111, 'd'}, {0x112, 0x11B, 'e'}, {0x11C, 0x123, 'g'},
    {0x124, 0x127, 'h'}, {0x128, 0x131, 'i'}, {0x134, 0x135, 'j'}, {0x136, 0x137, 'k'}, {0x139, 0x142, 'l'},
    {0x143, 0x148, 'n'}, {0x14C, 0x151, 'o'}, {0x154, 0x159, 'r'}, {0x15A, 0x161, 's'}, {0x162, 0x167, 't'},
    {0x168, 0x173, 'u'}, {0x174, 0x175, 'w'}, {0x176, 0x178, 'y'}, {0x179, 0x17E, 'z'},
};

std::int32_t fold(std::int32_t cp) {
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    if (cp >= 0xC0 && cp <= 0xFF) {
        char base = kLatin1[cp - 0xC0];
        if (base) return base;
        if (cp == 0xC6 || cp == 0xD0 || cp == 0xDE) return cp + 32;  // Æ Ð Þ
        return cp;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        for (const Run& r : kLatinA)
            if (cp >= r.first && cp <= r.last) return r.base;
        if (cp == 0x132 || cp == 0x14A || cp == 0x152) return cp + 1;  // Ĳ Ŋ Œ
        return cp;
    }
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 32;  // Greek capitals
    if (cp >= 0x410 && cp <= 0x42F) return cp + 32;                 // Cyrillic capitals
    if (cp >= 0x400 && cp <= 0x40F) return cp + 80;                 // Ѐ..Џ
    return cp;
}

}  // namespace

void for_each_term(std::string_view text,
                   const std::function<void(std::size_t begin, std::size_t end, const std::string& term)>& f) {
    std::string term;
    std::size_t begin = 0;
    auto flush = [&](std::size_t at) {
        if (!term.empty()) f(begin, at, term);
        term.clear();
    };
    const auto first = text.begin();
    for (auto it = first; it != text.end();) {
        // Up to the next malformed sequence utfcpp found, the text decodes without checks.
        const auto bad = utf8::find_invalid(it, text.end());
        while (it != bad) {
            const auto at = static_cast<std::size_t>(it - first);
            const auto cp = static_cast<std::int32_t>(utf8::unchecked::next(it));
            if (word_separator(cp)) {
                flush(at);
                continue;
            }
            if (term.empty()) begin = at;
            utf8::unchecked::append(static_cast<std::uint32_t>(fold(cp)), std::back_inserter(term));
        }
        if (bad != text.end()) {  // a stray byte: a separator
            flush(static_cast<std::size_t>(bad - first));
            ++it;
        }
    }
    flush(text.size());
}

std::string fold_word(std::string_view word) {
    std::string out;
    for_each_term(word, [&](std::size_t, std::size_t, const std::string& term) { out += term; });
    return out;
}

}  // namespace shop::search
