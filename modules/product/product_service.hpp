#pragma once
// Products: create, read, list, change, archive, and stock adjustments by hand. Testable
// without HTTP; rules a client can break surface as Error with the contract's code.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "category_repository.hpp"
#include "product_repository.hpp"
#include "variant_rules.hpp"
#include "shop/db/database.hpp"

namespace shop::product {

struct NewProduct {
    std::string sku;
    std::string name;
    std::string description;
    std::int64_t price = 0;  // without options: the one variant's
    std::int64_t stock = 0;  // without options: the one variant's
    nlohmann::json options = nlohmann::json::array();  // [{name, values}]
    std::vector<NewVariant> variants;                   // with options: one a combination
    std::optional<std::string> currency;  // must be the shop's when given
    std::optional<std::string> category_id;
    nlohmann::json attributes = nlohmann::json::object();
    nlohmann::json images = nlohmann::json::array();
};

// Absent members stay as they are.
struct ProductPatch {
    std::optional<std::string> sku;
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<std::int64_t> price;
    std::optional<std::string> currency;
    std::optional<std::optional<std::string>> category_id;  // holding nullopt: remove the category
    std::optional<nlohmann::json> attributes;
    std::optional<nlohmann::json> images;
};

std::optional<Sort> sort_from_string(std::string_view s);
std::string_view to_string(Sort s);

struct ProductQuery {
    ListFilter filter;
    Sort sort = Sort::CreatedDesc;
    int limit = 20;
    std::optional<nlohmann::json> after;  // a decoded cursor from a previous page
};

struct ProductPage {
    std::vector<ProductInfo> items;
    std::optional<nlohmann::json> next;  // cursor position after the last item; nullopt at the end
};

class ProductService {
public:
    ProductService(db::Database& db, std::string currency) : db_(db), currency_(std::move(currency)) {}

    const std::string& currency() const { return currency_; }

    ProductInfo create(const NewProduct& in);
    // The product create() would write, checked for its shape but not yet against the
    // database; insert() writes it in the caller's transaction (the CSV import's).
    ProductInfo build(const NewProduct& in) const;
    ProductInfo insert(db::Tx& tx, ProductInfo p);
    std::optional<ProductInfo> find(std::string_view id);
    // 422 for an unknown category or a cursor of another sort.
    ProductPage list(const ProductQuery& q);
    // if_match: the request's If-Match header, checked against the stored version inside the
    // writing transaction (412 precondition_failed when stale). A patch that changes nothing
    // leaves the version alone.
    ProductInfo update(std::string_view id, const ProductPatch& patch, const std::optional<std::string>& if_match);
    // Archived products stay readable; archiving twice is not an error.
    void archive(std::string_view id, const std::optional<std::string>& if_match);
    // The one variant's new stock; 409 insufficient_stock when it would go below zero, 422
    // variant_required for a product with options (its variants have their own route).
    std::int64_t adjust_stock(std::string_view id, std::int64_t delta, const std::optional<std::string>& reason);

private:
    void check_currency(const std::optional<std::string>& currency) const;
    void check_category(db::Conn& c, const std::optional<std::string>& category_id, const char* field);

    db::Database& db_;
    std::string currency_;
    ProductRepository products_;
    VariantRepository variants_;
    CategoryRepository categories_;
};

}  // namespace shop::product
