#include "shipment_repository.hpp"

namespace shop::order {

void ShipmentRepository::insert(db::Tx& tx, const std::string& order_id, const Shipment& s) {
    tx.exec("INSERT INTO shipments(id, order_id, carrier, tracking_number, tracking_url, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            s.id, order_id, s.carrier, s.tracking_number, s.tracking_url, s.created_at_ms);
    // All lines in one statement, as order lines are written.
    std::string sql = "INSERT INTO shipment_items(shipment_id, line, order_id, variant_id, quantity) VALUES ";
    std::vector<db::Value> params;
    for (std::size_t i = 0; i < s.items.size(); ++i) {
        sql += i ? ", (" : "(";
        sql += db::placeholders(5) + ")";
        for (db::Value v : {db::Value(s.id), db::Value(static_cast<std::int64_t>(i)), db::Value(order_id),
                            db::Value(s.items[i].variant_id), db::Value(s.items[i].quantity)})
            params.push_back(std::move(v));
    }
    tx.exec_values(sql, params);
}

std::map<std::string, std::int64_t> ShipmentRepository::shipped(db::Conn& c, const std::string& order_id) {
    std::map<std::string, std::int64_t> out;
    for (const auto& r : c.query("SELECT variant_id, SUM(quantity) FROM shipment_items WHERE order_id = ? "
                                 "GROUP BY variant_id",
                                 order_id))
        out[r.str(0)] = r.i64(1);
    return out;
}

namespace {
// The first shipment moves an order out of paid in its own transaction, and only unshipped
// orders can be cancelled or expire: orders in these states have none, and checkout and
// payment, which read orders in them, need not ask.
bool never_shipped(Status s) {
    return s == Status::PendingPayment || s == Status::Paid || s == Status::Cancelled || s == Status::Expired;
}
}  // namespace

void ShipmentRepository::load(db::Conn& c, std::vector<Order>& orders) {
    std::vector<db::Value> ids;
    std::map<std::string, Order*> by_id;
    for (auto& o : orders) {
        if (never_shipped(o.status)) continue;
        ids.emplace_back(o.id);
        by_id[o.id] = &o;
    }
    if (ids.empty()) return;
    // Shipments and their lines in one query: a shipment always has at least one line.
    std::string sql =
        "SELECT s.order_id, s.id, s.carrier, s.tracking_number, s.tracking_url, s.created_at, i.variant_id, "
        "i.quantity FROM shipments s JOIN shipment_items i ON i.shipment_id = s.id "
        "WHERE s.order_id IN (" + db::placeholders(ids.size()) +
        ") ORDER BY s.order_id, s.created_at, s.id, i.line";
    for (const auto& r : c.query_values(sql, ids)) {
        auto& shipments = by_id[r.str(0)]->shipments;
        if (shipments.empty() || shipments.back().id != r.str(1))
            shipments.push_back({r.str(1), r.opt_str(2), r.opt_str(3), r.opt_str(4), {}, r.i64(5)});
        shipments.back().items.push_back({r.str(6), r.i64(7)});
    }
}

}  // namespace shop::order
