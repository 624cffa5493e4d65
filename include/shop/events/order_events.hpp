#pragma once
// The order module's domain events. Each struct is the whole contract of its event's
// `data` (docs/events.md), defined once in src/events/order_events.cpp. Money is in minor
// units beside `currency`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace shop::events {

// One line of an order as its events carry it: `{product_id, quantity, unit_price}`.
struct OrderLine {
    std::string product_id;
    std::int64_t quantity = 0;
    std::int64_t unit_price = 0;
    std::string variant_id;  // events written before variants (v1.1) read as the product's id
    bool operator==(const OrderLine&) const = default;
};

struct OrderCreated {
    static constexpr std::string_view kType = "order.created";
    std::string order_id;
    std::string user_id;
    std::int64_t total = 0;
    std::string currency;
    std::vector<OrderLine> items;
    bool operator==(const OrderCreated&) const = default;
};

// Emitted inside the payment's transaction.
struct OrderPaid {
    static constexpr std::string_view kType = "order.paid";
    std::string order_id;
    std::string user_id;
    std::string payment_id;
    std::int64_t total = 0;
    std::string currency;
    std::vector<OrderLine> items;
    // The order's price breakdown (API.md section 10): total = subtotal - discount_total +
    // shipping_total (+ tax_total when tax is added on top). Events written before checkout
    // pricing (v1.1) have none of them and read as subtotal = total, the others 0.
    std::int64_t subtotal = 0;
    std::int64_t discount_total = 0;
    std::int64_t shipping_total = 0;
    std::int64_t tax_total = 0;
    bool operator==(const OrderPaid&) const = default;
};

struct OrderCancelled {
    static constexpr std::string_view kType = "order.cancelled";
    std::string order_id;
    std::string user_id;
    std::string from;           // the status it left
    std::int64_t refunded = 0;  // 0 when nothing was refunded
    bool operator==(const OrderCancelled&) const = default;
};

struct OrderExpired {
    static constexpr std::string_view kType = "order.expired";
    std::string order_id;
    std::string user_id;
    bool operator==(const OrderExpired&) const = default;
};

struct OrderShipped {
    static constexpr std::string_view kType = "order.shipped";
    std::string order_id;
    std::string user_id;
    bool operator==(const OrderShipped&) const = default;
};

// Units of one variant in a shipment: `{variant_id, quantity}`.
struct ShipmentLine {
    std::string variant_id;
    std::int64_t quantity = 0;
    bool operator==(const ShipmentLine&) const = default;
};

// A shipment of some or all of a paid order's units (API.md section 11), emitted in the
// shipment's transaction; order.shipped follows in the same transaction when it was the
// order's last. carrier, tracking_number and tracking_url are null for a shipment made by
// POST /orders/{id}/ship; tracking_url may be null on its own.
struct ShipmentCreated {
    static constexpr std::string_view kType = "shipment.created";
    std::string order_id;
    std::string user_id;
    std::string shipment_id;
    std::optional<std::string> carrier;
    std::optional<std::string> tracking_number;
    std::optional<std::string> tracking_url;
    std::vector<ShipmentLine> items;
    bool operator==(const ShipmentCreated&) const = default;
};

struct OrderDelivered {
    static constexpr std::string_view kType = "order.delivered";
    std::string order_id;
    std::string user_id;
    bool operator==(const OrderDelivered&) const = default;
};

// Returns (API.md section 11). One line of a return as its events carry it.
struct ReturnLine {
    std::string variant_id;
    std::int64_t quantity = 0;
    std::int64_t refund_amount = 0;
    bool operator==(const ReturnLine&) const = default;
};

struct ReturnRequested {
    static constexpr std::string_view kType = "return.requested";
    std::string return_id;
    std::string order_id;
    std::string user_id;  // the order's; empty for a guest's order
    std::int64_t refund_amount = 0;  // what receiving it will refund
    std::string currency;
    std::vector<ReturnLine> items;
    bool operator==(const ReturnRequested&) const = default;
};

// Emitted in the transaction that marks the return received, after its refund was made.
struct ReturnReceived {
    static constexpr std::string_view kType = "return.received";
    std::string return_id;
    std::string order_id;
    std::string user_id;
    std::int64_t refund_amount = 0;  // refunded through the order's payment
    std::string currency;
    bool restocked = false;
    std::vector<ReturnLine> items;
    bool operator==(const ReturnReceived&) const = default;
};

struct ReturnRejected {
    static constexpr std::string_view kType = "return.rejected";
    std::string return_id;
    std::string order_id;
    std::string user_id;
    bool operator==(const ReturnRejected&) const = default;
};

void to_json(nlohmann::json& j, const OrderLine& l);
void from_json(const nlohmann::json& j, OrderLine& l);
void to_json(nlohmann::json& j, const OrderCreated& e);
void from_json(const nlohmann::json& j, OrderCreated& e);
void to_json(nlohmann::json& j, const OrderPaid& e);
void from_json(const nlohmann::json& j, OrderPaid& e);
void to_json(nlohmann::json& j, const OrderCancelled& e);
void from_json(const nlohmann::json& j, OrderCancelled& e);
void to_json(nlohmann::json& j, const OrderExpired& e);
void from_json(const nlohmann::json& j, OrderExpired& e);
void to_json(nlohmann::json& j, const OrderShipped& e);
void from_json(const nlohmann::json& j, OrderShipped& e);
void to_json(nlohmann::json& j, const ShipmentLine& l);
void from_json(const nlohmann::json& j, ShipmentLine& l);
void to_json(nlohmann::json& j, const ShipmentCreated& e);
void from_json(const nlohmann::json& j, ShipmentCreated& e);
void to_json(nlohmann::json& j, const OrderDelivered& e);
void from_json(const nlohmann::json& j, OrderDelivered& e);
void to_json(nlohmann::json& j, const ReturnLine& l);
void from_json(const nlohmann::json& j, ReturnLine& l);
void to_json(nlohmann::json& j, const ReturnRequested& e);
void from_json(const nlohmann::json& j, ReturnRequested& e);
void to_json(nlohmann::json& j, const ReturnReceived& e);
void from_json(const nlohmann::json& j, ReturnReceived& e);
void to_json(nlohmann::json& j, const ReturnRejected& e);
void from_json(const nlohmann::json& j, ReturnRejected& e);

}  // namespace shop::events
