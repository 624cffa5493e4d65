#pragma once
// Every SQL statement about carts: one row per (user, variant) with a quantity.
#include <string>
#include <vector>

#include "shop/api/inventory.hpp"
#include "shop/db/database.hpp"

namespace shop::order {

class CartRepository {
public:
    // In the order the variants were first added.
    std::vector<api::StockLine> lines(db::Conn& c, const std::string& user_id);
    // quantity 0 removes the line.
    void set(db::Tx& tx, const std::string& user_id, const std::string& variant_id, std::int64_t quantity,
             std::int64_t now_ms);
    // False when the cart had no such line.
    bool remove(db::Tx& tx, const std::string& user_id, const std::string& variant_id);
    void clear(db::Tx& tx, const std::string& user_id);
    // How many lines the cart holds, and whether one is for this variant.
    std::int64_t count(db::Conn& c, const std::string& user_id);
    bool has(db::Conn& c, const std::string& user_id, const std::string& variant_id);
};

}  // namespace shop::order
