#pragma once
// The search index on SQLite FTS5. This file and its .cpp hold every piece of FTS SQL of
// the project: another backend gets another SearchIndex.
#include <string>
#include <vector>

#include "search_index.hpp"

namespace shop::data {

class Fts5SearchIndex final : public SearchIndex {
public:
    // The index's tables (SQLite), applied as one of the data module's migrations.
    static std::string schema();
    // The MATCH expression for `words`: each word quoted as an FTS5 string (so nothing a
    // user typed is syntax), all of them required, the last one as a prefix. With
    // `column`, only that column is searched. Empty for no words.
    static std::string match_expression(const std::vector<std::string>& words, const std::string& column = {});

    void put(db::Tx& tx, const IndexedProduct& p) override;
    void remove(db::Tx& tx, const std::string& product_id) override;
    SearchResult search(db::Conn& c, const SearchQuery& q) override;
    std::vector<std::string> suggest(db::Conn& c, const std::vector<std::string>& words, int limit) override;
};

}  // namespace shop::data
