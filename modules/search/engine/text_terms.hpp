#pragma once
// How the in-memory search index turns text into terms: words split as query_words() does,
// then folded so that case and the common Latin accents do not matter ("Crème" and
// "CREME" are both "creme"), as FTS5's unicode61 tokenizer with remove_diacritics does.
// Folding covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals; other
// scripts are kept as written. Product text and query words go through the same code,
// so whatever is not folded still matches itself.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace shop::search {

// The folded form of one word (a word from query_words()).
std::string fold_word(std::string_view word);

// Calls f(begin, end, term) for each word of `text`: its byte range and folded form.
// Malformed UTF-8 bytes separate words.
void for_each_term(std::string_view text,
                   const std::function<void(std::size_t begin, std::size_t end, const std::string& term)>& f);

}  // namespace shop::search
