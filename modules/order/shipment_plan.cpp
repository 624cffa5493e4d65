#include "shipment_plan.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "shop/core/error.hpp"

namespace shop::order {

namespace {
std::vector<ShipmentLine>::iterator line_of(std::vector<ShipmentLine>& lines, const std::string& variant_id) {
    return std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return l.variant_id == variant_id; });
}
}  // namespace

ShipmentPlan plan_shipment(const std::vector<OrderItem>& ordered, const std::map<std::string, std::int64_t>& shipped,
                           const std::optional<std::vector<ShipmentLine>>& asked) {
    // Units left of each variant, in the order's line order.
    std::vector<ShipmentLine> left;
    for (const auto& item : ordered) {
        auto l = line_of(left, item.variant_id);
        if (l == left.end()) left.push_back({item.variant_id, item.quantity});
        else l->quantity += item.quantity;
    }
    for (auto& l : left)
        if (auto s = shipped.find(l.variant_id); s != shipped.end()) l.quantity -= s->second;

    ShipmentPlan plan;
    if (!asked) {
        for (const auto& l : left)
            if (l.quantity > 0) plan.lines.push_back(l);
        plan.takes_the_rest = true;
        return plan;
    }

    if (asked->empty())
        throw Error::validation("items", "must name at least one variant (leave it out to ship everything left)");
    std::vector<FieldError> errors;
    for (std::size_t i = 0; i < asked->size(); ++i) {
        const ShipmentLine& a = (*asked)[i];
        auto l = line_of(left, a.variant_id);
        if (l == left.end()) {
            errors.emplace_back(fmt::format("items[{}].variant_id", i), "is not a variant of this order");
            continue;
        }
        auto p = line_of(plan.lines, a.variant_id);
        std::int64_t available = l->quantity - (p == plan.lines.end() ? 0 : p->quantity);
        if (a.quantity > available) {
            errors.emplace_back(fmt::format("items[{}].quantity", i),
                                fmt::format("is more than the {} left to ship of {}",
                                            std::max<std::int64_t>(available, 0), a.variant_id));
            continue;
        }
        if (p == plan.lines.end()) plan.lines.push_back(a);
        else p->quantity += a.quantity;
    }
    if (!errors.empty()) throw Error::validation(std::move(errors));
    plan.takes_the_rest = std::all_of(left.begin(), left.end(), [&](const ShipmentLine& l) {
        auto p = line_of(plan.lines, l.variant_id);
        return l.quantity <= (p == plan.lines.end() ? 0 : p->quantity);
    });
    return plan;
}

}  // namespace shop::order
