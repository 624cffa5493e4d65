#include "order.hpp"
#include "shop/core/time.hpp"

namespace shop::order {

using nlohmann::json;

nlohmann::json to_json(const Order& o) {
    json items = json::array();
    for (const auto& i : o.items)
        items.push_back({{"product_id", i.product_id},
                         {"variant_id", i.variant_id},
                         {"options", i.options},
                         {"sku", i.sku},
                         {"name", i.name},
                         {"unit_price", i.unit_price},
                         {"quantity", i.quantity},
                         {"line_total", i.line_total}});
    return {
        {"id", o.id},
        {"user_id", o.user_id},
        {"status", std::string(to_string(o.status))},
        {"items", std::move(items)},
        {"total", o.total},
        {"currency", o.currency},
        {"shipping_address", o.shipping_address},
        {"created_at", core::format_rfc3339(o.created_at_ms)},
        {"updated_at", core::format_rfc3339(o.updated_at_ms)},
        // Only an unpaid order can expire; afterwards the deadline means nothing.
        {"expires_at", o.status == Status::PendingPayment ? json(core::format_rfc3339(o.expires_at_ms)) : json(nullptr)},
    };
}

}  // namespace shop::order
