#pragma once
// The search index on SQLite FTS5. This file and its .cpp hold every piece of FTS SQL of
// the project: another backend gets another SearchIndex.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "search_index.hpp"

namespace shop::search {

// One document's latest state, for a follower of the index (MemorySearchIndex).
struct DocChange : SearchDocument {
    std::int64_t doc = 0;
    std::int64_t rev = 0;
    bool active = false;  // false: the product left the index
};

struct DocText {
    std::int64_t doc = 0;
    std::string product_id;
    std::string name;
    std::string description;
};

class Fts5SearchIndex final : public SearchIndex {
public:
    // The index's tables (SQLite), applied as one of the data module's migrations.
    static std::string schema();
    // Numbers every change (rev) and keeps removed documents as inactive rows.
    static std::string change_feed_schema();
    // Adds the variants' text, the highest price and the option values, and empties the
    // index for the search projection to fill again from the event log.
    static std::string variants_schema();
    // The MATCH expression for `words`: each word quoted as an FTS5 string (so nothing a
    // user typed is syntax), all of them required, the last one as a prefix. With
    // `column`, only that column is searched. Empty for no words.
    static std::string match_expression(const std::vector<std::string>& words, const std::string& column = {});

    void put(db::Tx& tx, const IndexedProduct& p) override;
    void remove(db::Tx& tx, const std::string& product_id) override;
    SearchResult search(db::Conn& c, const SearchQuery& q) override;
    std::vector<std::string> suggest(db::Conn& c, const std::vector<std::string>& words, int limit) override;

    // The documents changed after `rev`, oldest change first, at most `limit`.
    std::vector<DocChange> changes_after(db::Conn& c, std::int64_t rev, int limit);
    // Product id and text of the given active documents, in no particular order.
    std::vector<DocText> texts(db::Conn& c, const std::vector<std::int64_t>& docs);
    // (document, product id) of the given active documents, in no particular order.
    std::vector<std::pair<std::int64_t, std::string>> product_ids(db::Conn& c, const std::vector<std::int64_t>& docs);
};

}  // namespace shop::search
