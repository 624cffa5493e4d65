#pragma once
// Every SQL statement about orders and their lines.
#include <optional>
#include <string>
#include <vector>

#include "list_key.hpp"
#include "order.hpp"
#include "shipment_repository.hpp"
#include "shop/db/database.hpp"

namespace shop::order {

struct OrderFilter {
    std::optional<std::string> user_id;
    std::optional<Status> status;
};

// Keyset position for "newest first": the last row's created_at and id.
using OrderCursor = ListKey;

// Orders read here come whole: their lines and their shipments.
class OrderRepository {
public:
    void insert(db::Tx& tx, const Order& o);
    std::optional<Order> find(db::Conn& c, const std::string& id);
    // Newest first; at most `limit` orders after `after`.
    std::vector<Order> list(db::Conn& c, const OrderFilter& f, const std::optional<OrderCursor>& after, int limit);
    // Moves the order from `from` to `to` only if it is still in `from`; false otherwise.
    // Also refused while a cancel is refunding the order (begin_cancel), unless `to` is that
    // cancel's own end; any transition clears the mark.
    // Marks a paid order as being cancelled before its refund is asked for, so no ship can
    // take it meanwhile; false when it is not paid. end_cancel() lifts the mark after a
    // refused refund.
    bool begin_cancel(db::Tx& tx, const std::string& id, std::int64_t now_ms);
    // Paid orders whose cancel was marked before `before_ms` and never finished (a crash
    // between the mark and the record); oldest first.
    std::vector<std::string> cancels_started_before(db::Conn& c, std::int64_t before_ms, int limit);
    void end_cancel(db::Tx& tx, const std::string& id);
    bool transition(db::Tx& tx, const std::string& id, Status from, Status to, std::int64_t now_ms,
                    const std::optional<std::string>& payment_id = std::nullopt);
    // Unpaid orders whose deadline has passed, oldest deadline first.
    std::vector<std::string> due_for_expiry(db::Conn& c, std::int64_t now_ms, int limit);
    // The user's orders still waiting for payment.
    std::int64_t count_open(db::Conn& c, const std::string& user_id);
    // A guest's, by the e-mail they gave.
    std::int64_t count_open_by_guest(db::Conn& c, const std::string& email);
    // Gives a guest's orders placed with this e-mail up to before_ms to the account; returns how many.
    std::int64_t claim_guest_orders(db::Tx& tx, const std::string& user_id, const std::string& email,
                                    std::int64_t before_ms);

private:
    void load_items(db::Conn& c, std::vector<Order>& orders);

    ShipmentRepository shipments_;
};

}  // namespace shop::order
