#pragma once
// An order as stored: the lines copy name, sku and price at the moment of ordering, so a
// later price change or archive never rewrites history.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "order_state.hpp"

namespace shop::order {

struct OrderItem {
    std::string product_id;
    std::string sku;
    std::string name;
    std::int64_t unit_price = 0;
    std::int64_t quantity = 0;
    std::int64_t line_total = 0;
    std::string variant_id;  // the product's id for a product without options
    nlohmann::json options = nlohmann::json::object();  // the variant's {name: value}
    std::int64_t discount = 0;  // this line's share of the order's discount
    std::int64_t tax = 0;       // on line_total - discount
};

// Units of one variant of the order in one shipment.
struct ShipmentLine {
    std::string variant_id;
    std::int64_t quantity = 0;
    bool operator==(const ShipmentLine&) const = default;
};

// A parcel sent (API.md section 11). carrier, tracking_number and tracking_url are null for
// a shipment made by POST /orders/{id}/ship, which records no tracking.
struct Shipment {
    std::string id;
    std::optional<std::string> carrier;
    std::optional<std::string> tracking_number;
    std::optional<std::string> tracking_url;
    std::vector<ShipmentLine> items;
    std::int64_t created_at_ms = 0;
};

struct Order {
    std::string id;
    std::string user_id;  // empty for a guest
    Status status = Status::PendingPayment;
    // The breakdown of section 10, fixed when the order is made. total = subtotal -
    // discount_total + shipping_total (+ tax_total when tax is added on top of prices).
    std::int64_t subtotal = 0;
    std::int64_t discount_total = 0;
    std::int64_t shipping_total = 0;
    std::int64_t tax_total = 0;
    std::int64_t total = 0;
    std::string currency;
    nlohmann::json shipping;  // {rate_id, name, price} or null
    nlohmann::json discount;  // {code, type, amount} or null
    // The code's use this order holds, given back by cancel-before-payment and expiry:
    // the discount's id and the customer key the per-customer limit counted.
    std::optional<std::string> discount_id;
    std::optional<std::string> customer;
    std::optional<std::string> email;  // the buyer's, at the time of ordering
    // A guest's order (user_id empty) is opened by its order token, of which only the
    // SHA-256 is kept; the token itself is in the 201 that made the order, and nowhere else.
    std::optional<std::string> token_hash;
    std::optional<std::string> order_token;  // only on the order just made
    nlohmann::json shipping_address;
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;
    std::int64_t expires_at_ms = 0;
    std::optional<std::int64_t> delivered_at_ms;  // starts the return window
    std::optional<std::string> payment_id;
    std::vector<OrderItem> items;
    std::vector<Shipment> shipments;  // oldest first
};

nlohmann::json to_json(const Order& o);
nlohmann::json to_json(const Shipment& s);

}  // namespace shop::order
