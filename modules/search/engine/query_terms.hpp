#pragma once
// Splits what a user typed into the words a search looks for. The words are plain text:
// no character of the input ever reaches a MATCH expression as syntax (the search index
// quotes each word itself), so quotes and FTS operators are just separators here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shop::search {

// Words are runs of ASCII letters and digits and of non-ASCII characters other than the
// common Unicode punctuation, space and symbol blocks; everything else separates words.
// Case and accents are left alone: the index folds them (unicode61 remove_diacritics 2).
// Returns nullopt when `q` is not valid UTF-8.
std::optional<std::vector<std::string>> query_words(std::string_view q);

// Characters that separate words: all ASCII but letters and digits, and the usual
// Unicode punctuation, space and symbol blocks. The in-memory index splits product text
// with the same rule, so a query word is always one of its terms. (FTS5's unicode61 may
// split a little more; a separator missed here only means a word matches nothing there.)
bool word_separator(std::int32_t cp);

// True for valid UTF-8 without overlong forms, surrogates or code points past U+10FFFF
// (utfcpp's utf8::find_invalid, as for stored text).
bool valid_utf8(std::string_view s);

}  // namespace shop::search
