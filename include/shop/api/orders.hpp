#pragma once
// What the order module lets the payment module do: read an order's amount and owner,
// and mark it paid inside the transaction that records the payment; and what the user
// module's e-mails show of an order.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shop/db/database.hpp"

namespace shop::api {

struct OrderSummary {
    std::string id;
    std::string user_id;  // empty for a guest's order
    std::string status;  // pending_payment, paid, partially_shipped, shipped, delivered, cancelled, expired
    std::int64_t total = 0;
    std::string currency;
};

// One line of an order as its buyer's e-mails show it: what was ordered, as it was then.
struct ReceiptLine {
    std::string variant_id;
    std::string name;
    std::string sku;
    std::int64_t quantity = 0;
    std::int64_t unit_price = 0;
    std::int64_t line_total = 0;
};

// An order as its buyer's e-mails show it (order confirmation, shipments, returns).
struct OrderReceipt {
    std::string id;
    std::string user_id;               // empty for a guest's order
    std::optional<std::string> email;  // the buyer's at ordering; none on orders older than v1.1
    std::string currency;
    std::int64_t subtotal = 0;
    std::int64_t discount_total = 0;
    std::int64_t shipping_total = 0;
    std::int64_t tax_total = 0;
    std::int64_t total = 0;
    std::vector<ReceiptLine> lines;
};

class Orders {
public:
    static constexpr std::string_view kInterface = "orders";  // its name in composition errors
    virtual ~Orders() = default;
    virtual std::optional<OrderSummary> order(db::Conn& c, std::string_view order_id) = 0;
    // pending_payment -> paid, with its order.paid event, in the caller's transaction.
    // False (and nothing changed) when the order is not pending_payment any more.
    virtual bool mark_paid(db::Tx& tx, std::string_view order_id, std::string_view payment_id) = 0;
    // Whether `order_token` is the guest order's own (section 11): the token handed out
    // once at checkout, which opens that order and nothing else.
    virtual bool opened_by(db::Conn& c, std::string_view order_id, std::string_view order_token) = 0;
    // The order for its buyer's e-mails; nullopt for an unknown order.
    virtual std::optional<OrderReceipt> receipt(db::Conn& c, std::string_view order_id) = 0;
};

}  // namespace shop::api
