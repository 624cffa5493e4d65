#include "cart_repository.hpp"

namespace shop::order {

std::vector<api::StockLine> CartRepository::lines(db::Conn& c, const std::string& user_id) {
    std::vector<api::StockLine> out;
    for (const auto& r : c.query("SELECT variant_id, quantity FROM cart_items WHERE user_id = ? "
                                 "ORDER BY added_at, variant_id",
                                 user_id))
        out.push_back({r.str(0), r.i64(1)});
    return out;
}

void CartRepository::set(db::Tx& tx, const std::string& user_id, const std::string& variant_id,
                         std::int64_t quantity, std::int64_t now_ms) {
    if (quantity == 0) {
        remove(tx, user_id, variant_id);
        return;
    }
    tx.exec(
        "INSERT INTO cart_items(user_id, variant_id, quantity, added_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
        user_id, variant_id, quantity, now_ms);
}

bool CartRepository::remove(db::Tx& tx, const std::string& user_id, const std::string& variant_id) {
    return tx.exec("DELETE FROM cart_items WHERE user_id = ? AND variant_id = ?", user_id, variant_id);
}

void CartRepository::clear(db::Tx& tx, const std::string& user_id) {
    tx.exec("DELETE FROM cart_items WHERE user_id = ?", user_id);
}

std::int64_t CartRepository::count(db::Conn& c, const std::string& user_id) {
    return c.query_one("SELECT COUNT(*) FROM cart_items WHERE user_id = ?", user_id)->i64(0);
}

bool CartRepository::has(db::Conn& c, const std::string& user_id, const std::string& variant_id) {
    return c.query_one("SELECT 1 FROM cart_items WHERE user_id = ? AND variant_id = ?", user_id, variant_id)
        .has_value();
}

}  // namespace shop::order
