#include "order_repository.hpp"

#include <map>

namespace shop::order {

namespace {
constexpr const char* kColumns =
    "SELECT id, user_id, status, total, currency, shipping_address, created_at, updated_at, expires_at, payment_id, "
    "subtotal, discount_total, shipping_total, tax_total, shipping, discount, discount_id, customer, email, token_hash, "
    "delivered_at "
    "FROM orders ";

// A JSON object stored as text, or null.
nlohmann::json object_or_null(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    auto j = nlohmann::json::parse(*text, nullptr, false);
    return j.is_object() ? j : nlohmann::json(nullptr);
}

std::optional<std::string> text_of(const nlohmann::json& j) {
    return j.is_null() ? std::nullopt : std::optional<std::string>(j.dump());
}

Order from_row(const db::Row& r) {
    Order o;
    o.id = r.str(0);
    o.user_id = r.str(1);
    o.status = status_from_string(r.str(2)).value_or(Status::PendingPayment);
    o.total = r.i64(3);
    o.currency = r.str(4);
    o.shipping_address = nlohmann::json::parse(r.str(5), nullptr, false);
    o.created_at_ms = r.i64(6);
    o.updated_at_ms = r.i64(7);
    o.expires_at_ms = r.i64(8);
    o.payment_id = r.opt_str(9);
    o.subtotal = r.i64(10);
    o.discount_total = r.i64(11);
    o.shipping_total = r.i64(12);
    o.tax_total = r.i64(13);
    o.shipping = object_or_null(r.opt_str(14));
    o.discount = object_or_null(r.opt_str(15));
    o.discount_id = r.opt_str(16);
    o.customer = r.opt_str(17);
    o.email = r.opt_str(18);
    o.token_hash = r.opt_str(19);
    o.delivered_at_ms = r.opt_i64(20);
    return o;
}
}  // namespace

void OrderRepository::insert(db::Tx& tx, const Order& o) {
    tx.exec(
        "INSERT INTO orders(id, user_id, status, total, currency, shipping_address, created_at, updated_at, "
        "expires_at, payment_id, subtotal, discount_total, shipping_total, tax_total, shipping, discount, "
        "discount_id, customer, email, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        o.id, o.user_id, to_string(o.status), o.total, o.currency, o.shipping_address.dump(), o.created_at_ms,
        o.updated_at_ms, o.expires_at_ms, o.payment_id, o.subtotal, o.discount_total, o.shipping_total, o.tax_total,
        text_of(o.shipping), text_of(o.discount), o.discount_id, o.customer, o.email, o.token_hash);
    if (o.items.empty()) return;
    // All lines in one statement: one round trip to a server database, not one per line.
    std::string sql =
        "INSERT INTO order_items(order_id, line, product_id, sku, name, unit_price, quantity, line_total, variant_id, "
        "options, discount, tax) VALUES ";
    std::vector<db::Value> params;
    for (std::size_t i = 0; i < o.items.size(); ++i) {
        const auto& it = o.items[i];
        sql += i ? ", (" : "(";
        sql += db::placeholders(12) + ")";
        for (db::Value v : {db::Value(o.id), db::Value(static_cast<std::int64_t>(i)), db::Value(it.product_id),
                            db::Value(it.sku), db::Value(it.name), db::Value(it.unit_price),
                            db::Value(it.quantity), db::Value(it.line_total), db::Value(it.variant_id),
                            db::Value(it.options.dump()), db::Value(it.discount), db::Value(it.tax)})
            params.push_back(std::move(v));
    }
    tx.exec_values(sql, params);
}

void OrderRepository::load_items(db::Conn& c, std::vector<Order>& orders) {
    if (orders.empty()) return;
    // One query for the whole page; the placeholders are generated, the values still bound.
    std::string sql =
        "SELECT order_id, product_id, sku, name, unit_price, quantity, line_total, variant_id, options, discount, tax "
        "FROM order_items "
        "WHERE order_id IN (" + db::placeholders(orders.size());
    std::vector<db::Value> ids;
    std::map<std::string, Order*> by_id;
    for (auto& o : orders) {
        ids.emplace_back(o.id);
        by_id[o.id] = &o;
    }
    sql += ") ORDER BY order_id, line";
    for (const auto& r : c.query_values(sql, ids)) {
        auto options = nlohmann::json::parse(r.str(8), nullptr, false);
        by_id[r.str(0)]->items.push_back({r.str(1), r.str(2), r.str(3), r.i64(4), r.i64(5), r.i64(6), r.str(7),
                                          options.is_object() ? std::move(options) : nlohmann::json::object(),
                                          r.i64(9), r.i64(10)});
    }
}

std::optional<Order> OrderRepository::find(db::Conn& c, const std::string& id) {
    auto row = c.query_one(std::string(kColumns) + "WHERE id = ?", id);
    if (!row) return std::nullopt;
    std::vector<Order> one{from_row(*row)};
    load_items(c, one);
    shipments_.load(c, one);
    return std::move(one.front());
}

std::vector<Order> OrderRepository::list(db::Conn& c, const OrderFilter& f, const std::optional<OrderCursor>& after,
                                         int limit) {
    std::string sql = std::string(kColumns) + "WHERE 1 = 1";
    std::vector<db::Value> params;
    if (f.user_id) {
        sql += " AND user_id = ?";
        params.emplace_back(*f.user_id);
    }
    if (f.status) {
        sql += " AND status = ?";
        params.emplace_back(std::string(to_string(*f.status)));
    }
    newest_first_page(sql, params, after, limit);
    std::vector<Order> out;
    for (const auto& r : c.query_values(sql, params)) out.push_back(from_row(r));
    load_items(c, out);
    shipments_.load(c, out);
    return out;
}

bool OrderRepository::transition(db::Tx& tx, const std::string& id, Status from, Status to, std::int64_t now_ms,
                                 const std::optional<std::string>& payment_id) {
    return tx.exec(
               "UPDATE orders SET status = ?, updated_at = ?, payment_id = COALESCE(?, payment_id), "
               "cancel_started_at = NULL WHERE id = ? AND status = ? AND (cancel_started_at IS NULL OR ? = 1)",
               to_string(to), now_ms, payment_id, id, to_string(from),
               std::int64_t{to == Status::Cancelled ? 1 : 0}) == 1;
}

bool OrderRepository::begin_cancel(db::Tx& tx, const std::string& id, std::int64_t now_ms) {
    return tx.exec("UPDATE orders SET cancel_started_at = ? WHERE id = ? AND status = 'paid'", now_ms, id) == 1;
}

std::vector<std::string> OrderRepository::cancels_started_before(db::Conn& c, std::int64_t before_ms, int limit) {
    std::vector<std::string> ids;
    for (const auto& r : c.query("SELECT id FROM orders WHERE cancel_started_at IS NOT NULL AND cancel_started_at < ? "
                                 "AND status = 'paid' ORDER BY cancel_started_at LIMIT ?",
                                 before_ms, std::int64_t{limit}))
        ids.push_back(r.str(0));
    return ids;
}

void OrderRepository::end_cancel(db::Tx& tx, const std::string& id) {
    tx.exec("UPDATE orders SET cancel_started_at = NULL WHERE id = ?", id);
}

std::int64_t OrderRepository::count_open(db::Conn& c, const std::string& user_id) {
    return c.query_one("SELECT COUNT(*) FROM orders WHERE user_id = ? AND status = 'pending_payment'", user_id)
        ->i64(0);
}

std::int64_t OrderRepository::count_open_by_guest(db::Conn& c, const std::string& email) {
    return c
        .query_one("SELECT COUNT(*) FROM orders WHERE user_id = '' AND email = ? AND status = 'pending_payment'",
                   email)
        ->i64(0);
}

std::int64_t OrderRepository::claim_guest_orders(db::Tx& tx, const std::string& user_id, const std::string& email,
                                                 std::int64_t before_ms) {
    return tx.exec("UPDATE orders SET user_id = ? WHERE user_id = '' AND email = ? AND created_at <= ?", user_id,
                   email, before_ms);
}

std::vector<std::string> OrderRepository::due_for_expiry(db::Conn& c, std::int64_t now_ms, int limit) {
    std::vector<std::string> ids;
    for (const auto& r : c.query("SELECT id FROM orders WHERE status = 'pending_payment' AND expires_at <= ? "
                                 "ORDER BY expires_at LIMIT ?",
                                 now_ms, limit))
        ids.push_back(r.str(0));
    return ids;
}

}  // namespace shop::order
