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

nlohmann::json to_json(const Order& o) {
    json out = priced_part(o);
    out.update({
        {"id", o.id},
        {"user_id", o.user_id.empty() ? json(nullptr) : json(o.user_id)},
        {"status", std::string(to_string(o.status))},
        {"email", o.email ? json(*o.email) : json(nullptr)},
        {"shipping_address", o.shipping_address},
        {"created_at", core::format_rfc3339(o.created_at_ms)},
        {"updated_at", core::format_rfc3339(o.updated_at_ms)},
        // Only an unpaid order can expire; afterwards the deadline means nothing.
        {"expires_at", o.status == Status::PendingPayment ? json(core::format_rfc3339(o.expires_at_ms)) : json(nullptr)},
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
