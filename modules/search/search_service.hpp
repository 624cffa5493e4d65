#pragma once
// Product search and suggestions over the search index, and the index's upkeep: the
// product events re-read the product through the catalogue inside the writing
// transaction, so a product is findable (or gone) on the very next request. Its active
// variants' skus and option values are searched with it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "search_facets.hpp"
#include "search_index.hpp"
#include "shop/api/catalog.hpp"
#include "shop/db/database.hpp"
#include "shop/events/event.hpp"

namespace shop::search {

struct SearchRequest {
    std::vector<std::string> words;       // query_words() of q
    std::optional<std::string> category;  // a category id: it and its descendants
    std::optional<std::int64_t> min_price;
    std::optional<std::int64_t> max_price;
    int offset = 0;
    int limit = 20;
};

struct SearchPage {
    nlohmann::json items = nlohmann::json::array();  // product JSON + score + highlight
    nlohmann::json facets = empty_facets();          // {category, options, price}: search_facets.hpp
    std::int64_t total = 0;
    std::optional<int> next_offset;
};

class SearchService {
public:
    SearchService(db::Database& db, api::Catalog& catalog, SearchIndex& index)
        : db_(db), catalog_(catalog), index_(index) {}

    // The projection of product.created / .updated / .archived (idempotent).
    void apply_product_event(db::Tx& tx, const events::Event& e);
    // Puts the product into the index if it is active, takes it out otherwise.
    void reindex(db::Tx& tx, const std::string& product_id);

    // 422 for an unknown category.
    SearchPage search(const SearchRequest& r);
    std::vector<std::string> suggest(const std::vector<std::string>& words, int limit);

private:
    db::Database& db_;
    api::Catalog& catalog_;
    SearchIndex& index_;
};

}  // namespace shop::search
