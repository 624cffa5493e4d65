#pragma once
// Every SQL statement about returns and their lines, and the one about when an order was
// delivered (orders.delivered_at, order migration 8).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "list_key.hpp"
#include "return_model.hpp"
#include "return_refund.hpp"
#include "shop/db/database.hpp"

namespace shop::order {

struct ReturnFilter {
    std::optional<std::string> order_id;
    std::optional<ReturnStatus> status;
};

class ReturnRepository {
public:
    void insert(db::Tx& tx, const OrderReturn& r);
    std::optional<OrderReturn> find(db::Conn& c, const std::string& id);
    // Newest first (created_at, id); at most `limit` after `after`.
    std::vector<OrderReturn> list(db::Conn& c, const ReturnFilter& f, const std::optional<ListKey>& after, int limit);
    // Per variant of the order: what its returns that are not rejected hold.
    std::map<std::string, LineReturned> returned(db::Conn& c, const std::string& order_id);

    // When a delivered order was delivered: its delivered_at, or for an order delivered
    // before that was recorded, its updated_at (the delivery was its last change). nullopt
    // when the order is not delivered.
    std::optional<std::int64_t> delivered_at(db::Conn& c, const std::string& order_id);
    // Takes the order's row in the return's transaction and checks it is still delivered:
    // two returns of one order are written one after the other (on PostgreSQL the second
    // waits for the row, then retries), so their quantities are checked against each other.
    bool hold_delivered_order(db::Tx& tx, const std::string& order_id);

    // Marks a requested return as being received before its refund is asked for; true
    // when it is requested (marked now, or still marked by a receive cut short).
    bool begin_receive(db::Tx& tx, const std::string& id, std::int64_t now_ms);
    // Lifts the mark after a refund that did not happen.
    void end_receive(db::Tx& tx, const std::string& id);
    // requested -> received; false when it is no longer requested (another receive won).
    bool finish_receive(db::Tx& tx, const std::string& id, bool restocked, std::int64_t now_ms);
    // requested -> rejected, refused while a receive holds the mark.
    bool reject(db::Tx& tx, const std::string& id, std::int64_t now_ms);

private:
    void load_items(db::Conn& c, std::vector<OrderReturn>& returns);
};

// Records when an order was delivered, in the transaction that moves it to delivered.
void record_delivery(db::Tx& tx, const std::string& order_id, std::int64_t now_ms);

}  // namespace shop::order
