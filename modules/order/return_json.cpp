#include "return_model.hpp"
#include "shop/core/time.hpp"

namespace shop::order {

using nlohmann::json;

namespace {
json time_or_null(const std::optional<std::int64_t>& ms) {
    return ms ? json(core::format_rfc3339(*ms)) : json(nullptr);
}
}  // namespace

nlohmann::json to_json(const OrderReturn& r) {
    json items = json::array();
    for (const auto& i : r.items)
        items.push_back({{"variant_id", i.variant_id},
                         {"product_id", i.product_id},
                         {"quantity", i.quantity},
                         {"refund_amount", i.refund_amount}});
    return {
        {"id", r.id},
        {"order_id", r.order_id},
        {"status", std::string(to_string(r.status))},
        {"items", std::move(items)},
        {"reason", r.reason},
        {"refund_amount", r.refund_amount},
        {"currency", r.currency},
        {"restocked", r.restocked ? json(*r.restocked) : json(nullptr)},
        {"created_at", core::format_rfc3339(r.created_at_ms)},
        {"updated_at", core::format_rfc3339(r.updated_at_ms)},
        {"received_at", time_or_null(r.received_at_ms)},
        {"rejected_at", time_or_null(r.rejected_at_ms)},
    };
}

}  // namespace shop::order
