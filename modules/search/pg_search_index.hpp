#pragma once
// The search index on PostgreSQL: one tsvector per product (name weighted A, description
// B, variants C) under a GIN index, through the `shop_search` text search configuration (unaccent,
// then lower-case, no stemming: what FTS5's unicode61 remove_diacritics tokenizer does).
// This file and its .cpp hold every piece of PostgreSQL full-text SQL of the project.
#include <string>
#include <vector>

#include "search_index.hpp"

namespace shop::search {

class PgSearchIndex final : public SearchIndex {
public:
    // The index's tables (PostgreSQL), applied as one of the data module's migrations.
    static std::string schema();
    // Adds the variants' text, the highest price and the option values, and has the search
    // projection put every product again.
    static std::string variants_schema();
    // to_tsquery text for `words`: each word a quoted lexeme (nothing a user typed is
    // syntax), all required, the last one as a prefix; with name_only, only weight A.
    static std::string tsquery_text(const std::vector<std::string>& words, bool name_only = false);

    void put(db::Tx& tx, const IndexedProduct& p) override;
    void remove(db::Tx& tx, const std::string& product_id) override;
    SearchResult search(db::Conn& c, const SearchQuery& q) override;
    std::vector<std::string> suggest(db::Conn& c, const std::vector<std::string>& words, int limit) override;
};

}  // namespace shop::search
