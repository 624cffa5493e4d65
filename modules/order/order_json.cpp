#include "order.hpp"
#include "order_service.hpp"
#include "shop/core/time.hpp"

namespace shop::order {

using nlohmann::json;

namespace {
json item_json(const OrderItem& i) {
    return {{"product_id", i.product_id},
            {"variant_id", i.variant_id},
            {"options", i.options},
            {"sku", i.sku},
            {"name", i.name},
            {"unit_price", i.unit_price},
            {"quantity", i.quantity},
            {"line_total", i.line_total},
            {"discount", i.discount},
            {"tax", i.tax}};
}

json items_of(const Order& o) {
    json items = json::array();
    for (const auto& i : o.items) items.push_back(item_json(i));
    return items;
}

json nullable(const std::optional<std::string>& s) {
    return s ? json(*s) : json(nullptr);
}

// What an order and its quote both show: the lines and the price breakdown.
json priced_part(const Order& o) {
    return {
        {"items", items_of(o)},
        {"subtotal", o.subtotal},
        {"discount_total", o.discount_total},
        {"shipping_total", o.shipping_total},
        {"tax_total", o.tax_total},
        {"total", o.total},
        {"currency", o.currency},
        {"shipping", o.shipping},
        {"discount", o.discount},
    };
}
}  // namespace

nlohmann::json to_json(const Shipment& s) {
    json items = json::array();
    for (const auto& l : s.items) items.push_back({{"variant_id", l.variant_id}, {"quantity", l.quantity}});
    return {{"id", s.id},
            {"carrier", nullable(s.carrier)},
            {"tracking_number", nullable(s.tracking_number)},
            {"tracking_url", nullable(s.tracking_url)},
            {"items", std::move(items)},
            {"created_at", core::format_rfc3339(s.created_at_ms)}};
}

nlohmann::json to_json(const Order& o) {
    json shipments = json::array();
    for (const auto& s : o.shipments) shipments.push_back(to_json(s));
    json out = priced_part(o);
    out.update({
        {"id", o.id},
        {"shipments", std::move(shipments)},
        {"user_id", o.user_id.empty() ? json(nullptr) : json(o.user_id)},
        {"status", std::string(to_string(o.status))},
        {"email", nullable(o.email)},
        {"shipping_address", o.shipping_address},
        {"created_at", core::format_rfc3339(o.created_at_ms)},
        {"updated_at", core::format_rfc3339(o.updated_at_ms)},
        // Only an unpaid order can expire; afterwards the deadline means nothing.
        {"expires_at", o.status == Status::PendingPayment ? json(core::format_rfc3339(o.expires_at_ms)) : json(nullptr)},
        {"delivered_at", o.delivered_at_ms ? json(core::format_rfc3339(*o.delivered_at_ms)) : json(nullptr)},
    });
    if (o.order_token) out["order_token"] = *o.order_token;
    return out;
}

nlohmann::json to_json(const Quote& q) {
    const Order& o = q.order;
    json options = json::array();
    for (const auto& r : q.shipping_options) options.push_back({{"id", r.rate_id}, {"name", r.name}, {"price", r.price}});
    json out = priced_part(o);
    out["shipping_options"] = std::move(options);
    out["shipping_rate_id"] = o.shipping.is_null() ? json(nullptr) : o.shipping["rate_id"];
    return out;
}

}  // namespace shop::order
