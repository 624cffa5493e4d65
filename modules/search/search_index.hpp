#pragma once
// The search index behind GET /search and /search/suggest. Kept behind this interface so
// the storage can change (PostgreSQL's tsvector, or an in-memory index when search must
// be far faster than FTS5's ORDER BY rank) without touching the service or the handlers.
// Every document carries what the filters and facets need (category, prices, option
// values), so a search never joins the catalogue's own tables; only the page's products are
// loaded afterwards.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "highlight.hpp"  // kMarkOpen, kMarkClose
#include "search_document.hpp"
#include "shop/db/database.hpp"

namespace shop::search {

// What the index keeps of one active product.
struct IndexedProduct : SearchDocument {
    std::string product_id;
};

struct SearchQuery {
    std::vector<std::string> words;  // from query_words(); the last one is matched as a prefix
    std::optional<std::vector<std::string>> categories;  // any of these (already expanded to the subtree)
    std::optional<std::int64_t> min_price;
    std::optional<std::int64_t> max_price;
    int offset = 0;
    int limit = 20;
};

struct SearchHit {
    std::string product_id;
    double score = 0;  // higher is better
    // False: the index left marking to highlight() over the product's own text, which the
    // caller loads anyway (an index in memory keeps no text to mark).
    bool marked = true;
    std::string name_highlight;
    std::string description_highlight;
};

struct CategoryCount {
    std::optional<std::string> category_id;  // nullopt: products without a category
    std::int64_t count = 0;
};

struct SearchResult {
    std::vector<SearchHit> hits;  // best first, the requested page only
    // The facets, over every match, not just the page:
    std::vector<CategoryCount> categories;
    std::vector<OptionCount> options;  // in no particular order
    std::optional<PriceRange> price;   // nullopt: nothing matched
    std::int64_t total = 0;            // every match
};

class SearchIndex {
public:
    virtual ~SearchIndex() = default;
    // Adds or replaces the product's document.
    virtual void put(db::Tx& tx, const IndexedProduct& p) = 0;
    virtual void remove(db::Tx& tx, const std::string& product_id) = 0;
    virtual SearchResult search(db::Conn& c, const SearchQuery& q) = 0;
    // Distinct product names matching `words` (the last as a prefix), best first.
    virtual std::vector<std::string> suggest(db::Conn& c, const std::vector<std::string>& words, int limit) = 0;
    // `text` with the words of a query marked, for hits that come back unmarked.
    virtual std::string highlight(const std::vector<std::string>& words, std::string_view text) const {
        (void)words;
        return std::string(text);
    }
    // After migrations and catch-up, before serving: background work such as warming up
    // an index kept in memory. Without it (tools, tests) the index still answers.
    virtual void start() {}
};

}  // namespace shop::search
