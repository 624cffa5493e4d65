#pragma once
// Carts price their lines from the catalogue at every read, so a cart always shows what
// checkout would charge now. Variants that were archived (or whose product was) drop out of the cart
// with a note saying so.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cart_repository.hpp"
#include "shop/api/catalog.hpp"
#include "shop/db/database.hpp"

namespace shop::order {

struct CartLine {
    std::string product_id;
    std::string variant_id;  // the product's id for a product without options
    std::string sku;
    nlohmann::json options = nlohmann::json::object();
    std::string name;
    std::int64_t unit_price = 0;
    std::int64_t quantity = 0;
    std::int64_t line_total = 0;
};

struct CartView {
    std::vector<CartLine> items;
    std::int64_t total = 0;
    std::string currency;
    std::vector<nlohmann::json> notes;  // {variant_id, product_id, message} for lines that dropped out
};

nlohmann::json to_json(const CartView& c);

class CartService {
public:
    CartService(db::Database& db, api::Catalog& catalog, std::string currency)
        : db_(db), catalog_(catalog), currency_(std::move(currency)) {}

    CartView view(const std::string& user_id);
    // id: a variant's, or a product's without options. quantity 0 removes the line; 422 for
    // an unknown or archived product or variant or a bad quantity, 422 variant_required for
    // a product with options.
    CartView put(const std::string& user_id, const std::string& id, std::int64_t quantity);
    CartView remove(const std::string& user_id, const std::string& id);
    CartView clear(const std::string& user_id);

private:
    db::Database& db_;
    api::Catalog& catalog_;
    std::string currency_;
    CartRepository carts_;
};

}  // namespace shop::order
