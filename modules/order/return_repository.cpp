#include "return_repository.hpp"

namespace shop::order {

namespace {
constexpr const char* kColumns =
    "SELECT id, order_id, user_id, status, reason, refund_amount, currency, restocked, receive_started_at, "
    "created_at, updated_at, received_at, rejected_at FROM returns ";

OrderReturn from_row(const db::Row& r) {
    OrderReturn out;
    out.id = r.str(0);
    out.order_id = r.str(1);
    out.user_id = r.str(2);
    out.status = return_status_from_string(r.str(3)).value_or(ReturnStatus::Requested);
    out.reason = r.str(4);
    out.refund_amount = r.i64(5);
    out.currency = r.str(6);
    if (auto restocked = r.opt_i64(7)) out.restocked = *restocked != 0;
    out.receiving = !r.is_null(8);
    out.created_at_ms = r.i64(9);
    out.updated_at_ms = r.i64(10);
    out.received_at_ms = r.opt_i64(11);
    out.rejected_at_ms = r.opt_i64(12);
    return out;
}
}  // namespace

void ReturnRepository::insert(db::Tx& tx, const OrderReturn& r) {
    tx.exec("INSERT INTO returns(id, order_id, user_id, status, reason, refund_amount, currency, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            r.id, r.order_id, r.user_id, to_string(r.status), r.reason, r.refund_amount, r.currency, r.created_at_ms,
            r.updated_at_ms);
    if (r.items.empty()) return;
    // All lines in one statement, as an order's are.
    std::string sql = "INSERT INTO return_items(return_id, line, variant_id, product_id, quantity, refund_amount) VALUES ";
    std::vector<db::Value> params;
    for (std::size_t i = 0; i < r.items.size(); ++i) {
        const auto& it = r.items[i];
        sql += i ? ", (" : "(";
        sql += db::placeholders(6) + ")";
        for (db::Value v : {db::Value(r.id), db::Value(static_cast<std::int64_t>(i)), db::Value(it.variant_id),
                            db::Value(it.product_id), db::Value(it.quantity), db::Value(it.refund_amount)})
            params.push_back(std::move(v));
    }
    tx.exec_values(sql, params);
}

void ReturnRepository::load_items(db::Conn& c, std::vector<OrderReturn>& returns) {
    if (returns.empty()) return;
    std::string sql = "SELECT return_id, variant_id, product_id, quantity, refund_amount FROM return_items "
                      "WHERE return_id IN (" + db::placeholders(returns.size()) + ") ORDER BY return_id, line";
    std::vector<db::Value> ids;
    std::map<std::string, OrderReturn*> by_id;
    for (auto& r : returns) {
        ids.emplace_back(r.id);
        by_id[r.id] = &r;
    }
    for (const auto& row : c.query_values(sql, ids))
        by_id[row.str(0)]->items.push_back({row.str(1), row.str(2), row.i64(3), row.i64(4)});
}

std::optional<OrderReturn> ReturnRepository::find(db::Conn& c, const std::string& id) {
    auto row = c.query_one(std::string(kColumns) + "WHERE id = ?", id);
    if (!row) return std::nullopt;
    std::vector<OrderReturn> one{from_row(*row)};
    load_items(c, one);
    return std::move(one.front());
}

std::vector<OrderReturn> ReturnRepository::list(db::Conn& c, const ReturnFilter& f, const std::optional<ListKey>& after,
                                                int limit) {
    std::string sql = std::string(kColumns) + "WHERE 1 = 1";
    std::vector<db::Value> params;
    if (f.order_id) {
        sql += " AND order_id = ?";
        params.emplace_back(*f.order_id);
    }
    if (f.status) {
        sql += " AND status = ?";
        params.emplace_back(std::string(to_string(*f.status)));
    }
    newest_first_page(sql, params, after, limit);
    std::vector<OrderReturn> out;
    for (const auto& r : c.query_values(sql, params)) out.push_back(from_row(r));
    load_items(c, out);
    return out;
}

std::map<std::string, LineReturned> ReturnRepository::returned(db::Conn& c, const std::string& order_id) {
    std::map<std::string, LineReturned> out;
    for (const auto& r : c.query("SELECT i.variant_id, SUM(i.quantity), SUM(i.refund_amount) FROM return_items i "
                                 "JOIN returns r ON r.id = i.return_id "
                                 "WHERE r.order_id = ? AND r.status <> 'rejected' GROUP BY i.variant_id",
                                 order_id))
        out[r.str(0)] = {r.i64(1), r.i64(2)};
    return out;
}

std::optional<std::int64_t> ReturnRepository::delivered_at(db::Conn& c, const std::string& order_id) {
    auto row = c.query_one("SELECT COALESCE(delivered_at, updated_at) FROM orders WHERE id = ? AND status = 'delivered'",
                           order_id);
    if (!row) return std::nullopt;
    return row->i64(0);
}

bool ReturnRepository::hold_delivered_order(db::Tx& tx, const std::string& order_id) {
    return tx.exec("UPDATE orders SET updated_at = updated_at WHERE id = ? AND status = 'delivered'", order_id) == 1;
}

bool ReturnRepository::begin_receive(db::Tx& tx, const std::string& id, std::int64_t now_ms) {
    return tx.exec("UPDATE returns SET receive_started_at = COALESCE(receive_started_at, ?) "
                   "WHERE id = ? AND status = 'requested'",
                   now_ms, id) == 1;
}

void ReturnRepository::end_receive(db::Tx& tx, const std::string& id) {
    tx.exec("UPDATE returns SET receive_started_at = NULL WHERE id = ? AND status = 'requested'", id);
}

bool ReturnRepository::finish_receive(db::Tx& tx, const std::string& id, bool restocked, std::int64_t now_ms) {
    return tx.exec("UPDATE returns SET status = 'received', restocked = ?, received_at = ?, updated_at = ?, "
                   "receive_started_at = NULL WHERE id = ? AND status = 'requested'",
                   restocked, now_ms, now_ms, id) == 1;
}

bool ReturnRepository::reject(db::Tx& tx, const std::string& id, std::int64_t now_ms) {
    return tx.exec("UPDATE returns SET status = 'rejected', rejected_at = ?, updated_at = ? "
                   "WHERE id = ? AND status = 'requested' AND receive_started_at IS NULL",
                   now_ms, now_ms, id) == 1;
}

void record_delivery(db::Tx& tx, const std::string& order_id, std::int64_t now_ms) {
    tx.exec("UPDATE orders SET delivered_at = ? WHERE id = ?", now_ms, order_id);
}

}  // namespace shop::order
