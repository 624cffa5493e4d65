#pragma once
// All SQL of the products table: CRUD, the keyset list, and the conditional stock updates
// that keep stock right with several writers and several processes on one database.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shop/api/catalog.hpp"
#include "shop/db/database.hpp"
#include "variant_repository.hpp"

namespace shop::product {

using api::ProductInfo;

enum class Sort { PriceAsc, PriceDesc, NameAsc, CreatedAsc, CreatedDesc };

struct ListFilter {
    std::optional<std::string> category;  // this category and every descendant
    // category's subtree, ids the list matches: ProductService::list expands it before listing.
    std::vector<std::string> category_ids;
    std::optional<std::int64_t> min_price;
    std::optional<std::int64_t> max_price;
    std::optional<std::int64_t> max_stock;  // at most this many in stock (the dashboard's low-stock list)
    std::optional<bool> in_stock;           // true: some stock; false: none
    // (option name, value) pairs: products with one active, in-stock variant having them all.
    std::vector<std::pair<std::string, std::string>> options;
};

// A keyset position: the sort value of the last row seen, and its seq as the tie-breaker.
struct Position {
    db::Value value;
    std::int64_t seq = 0;
};

struct ListedProduct {
    ProductInfo product;
    std::int64_t seq = 0;
};

class ProductRepository {
public:
    // The products row alone; its variants are inserted by VariantRepository. Throws
    // db::ConstraintError when the sku is taken (the UNIQUE index decides).
    void insert(db::Tx& tx, const ProductInfo& p);
    std::optional<ProductInfo> find(db::Conn& c, std::string_view id);
    // The products among `ids` that exist, in no particular order.
    std::vector<ProductInfo> find_many(db::Conn& c, const std::vector<std::string>& ids);
    // Another product has this sku, or one of another product's variants has.
    bool sku_used_by_other(db::Conn& c, std::string_view sku, std::string_view except_id);
    bool any(db::Conn& c);
    // Every product, archived ones too, with their variants, oldest first (the CSV export).
    std::vector<ProductInfo> all(db::Conn& c);
    std::int64_t count(db::Conn& c);

    // Active products matching the filter, in `sort` order, strictly after `after`.
    std::vector<ListedProduct> list(db::Conn& c, const ListFilter& f, Sort sort, const std::optional<Position>& after,
                                    int limit);

    // Writes p's columns but stock (the variants' business) and bumps the version, only if
    // the stored version is still `expected_version` (optimistic concurrency). False when
    // another change came first.
    bool update(db::Tx& tx, const ProductInfo& p, std::int64_t expected_version);
    // The product's options (a later variant may add a value); the caller bumps the version
    // (VariantRepository::refresh_product).
    void set_options(db::Tx& tx, std::string_view id, const nlohmann::json& options, std::int64_t now_ms);
    // archived -> active again with a version bump (a CSV import's status column).
    bool restore(db::Tx& tx, std::string_view id, std::int64_t now_ms);
    // active -> archived with a version bump; false when it was not active.
    bool archive(db::Tx& tx, std::string_view id, std::int64_t now_ms);
    // Fills each product's variants, in one query for all of them.
    void attach_variants(db::Conn& c, std::vector<ProductInfo*> products);

private:
    VariantRepository variants_;
};

}  // namespace shop::product
