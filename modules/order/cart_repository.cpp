#include "cart_repository.hpp"

namespace shop::order {

std::vector<api::StockLine> CartRepository::lines(db::Conn& c, const std::string& user_id) {
    std::vector<api::StockLine> out;
    for (const auto& r : c.query("SELECT product_id, quantity FROM cart_items WHERE user_id = ? "
                                 "ORDER BY added_at, product_id",
                                 user_id))
        out.push_back({r.str(0), r.i64(1)});
    return out;
}

void CartRepository::set(db::Tx& tx, const std::string& user_id, const std::string& product_id,
                         std::int64_t quantity, std::int64_t now_ms) {
    if (quantity == 0) return remove(tx, user_id, product_id);
    tx.exec(
        "INSERT INTO cart_items(user_id, product_id, quantity, added_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = excluded.quantity",
        user_id, product_id, quantity, now_ms);
}

void CartRepository::remove(db::Tx& tx, const std::string& user_id, const std::string& product_id) {
    tx.exec("DELETE FROM cart_items WHERE user_id = ? AND product_id = ?", user_id, product_id);
}

void CartRepository::clear(db::Tx& tx, const std::string& user_id) {
    tx.exec("DELETE FROM cart_items WHERE user_id = ?", user_id);
}

std::int64_t CartRepository::count(db::Conn& c, const std::string& user_id) {
    return c.query_one("SELECT COUNT(*) FROM cart_items WHERE user_id = ?", user_id)->i64(0);
}

bool CartRepository::has(db::Conn& c, const std::string& user_id, const std::string& product_id) {
    return c.query_one("SELECT 1 FROM cart_items WHERE user_id = ? AND product_id = ?", user_id, product_id)
        .has_value();
}

}  // namespace shop::order
