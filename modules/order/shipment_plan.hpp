#pragma once
// What one shipment takes of an order (API.md section 11), decided from the order's lines
// and what its stored shipments carried; no database here, so the rules are tested directly.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "order.hpp"

namespace shop::order {

struct ShipmentPlan {
    std::vector<ShipmentLine> lines;  // by variant, in the order first asked for (or ordered)
    bool takes_the_rest = false;      // nothing of the order is left to ship after it
};

// `asked` nullopt: every unit not yet shipped. Otherwise the lines asked for, those naming one
// variant twice merged; 422 validation_failed naming `items[i].variant_id` for a variant the
// order does not hold and `items[i].quantity` for more than is left of it (every bad line at
// once). An order with nothing left to ship gives an empty plan.
ShipmentPlan plan_shipment(const std::vector<OrderItem>& ordered, const std::map<std::string, std::int64_t>& shipped,
                           const std::optional<std::vector<ShipmentLine>>& asked);

}  // namespace shop::order
