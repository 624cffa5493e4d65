#pragma once
// Carts price their lines from the catalogue at every read, so a cart always shows what
// checkout would charge now. Products that were archived or deleted drop out of the cart
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
    std::string name;
    std::int64_t unit_price = 0;
    std::int64_t quantity = 0;
    std::int64_t line_total = 0;
};

struct CartView {
    std::vector<CartLine> items;
    std::int64_t total = 0;
    std::string currency;
    std::vector<nlohmann::json> notes;  // {product_id, message} for lines that dropped out
};

nlohmann::json to_json(const CartView& c);

class CartService {
public:
    CartService(db::Database& db, api::Catalog& catalog, std::string currency)
        : db_(db), catalog_(catalog), currency_(std::move(currency)) {}

    CartView view(const std::string& user_id);
    // quantity 0 removes the line; 422 for an unknown or archived product or a bad quantity.
    CartView put(const std::string& user_id, const std::string& product_id, std::int64_t quantity);
    CartView remove(const std::string& user_id, const std::string& product_id);
    CartView clear(const std::string& user_id);

private:
    db::Database& db_;
    api::Catalog& catalog_;
    std::string currency_;
    CartRepository carts_;
};

}  // namespace shop::order
