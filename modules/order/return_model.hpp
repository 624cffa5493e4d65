#pragma once
// A return (API.md section 11) as stored: the units of a delivered order the buyer sends
// back, and what they will be refunded, fixed when the return is requested.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "return_state.hpp"

namespace shop::order {

struct ReturnItem {
    std::string variant_id;
    std::string product_id;
    std::int64_t quantity = 0;
    std::int64_t refund_amount = 0;  // what these units were paid (return_refund.hpp)
};

struct OrderReturn {
    std::string id;
    std::string order_id;
    std::string user_id;  // the order's; empty for a guest's order
    ReturnStatus status = ReturnStatus::Requested;
    std::string reason;
    std::int64_t refund_amount = 0;  // the sum of the items'
    std::string currency;
    std::optional<bool> restocked;  // set when received
    // Set while a receive is refunding it (between marking it and recording the outcome),
    // and left set by a receive cut short by a crash: a reject is refused meanwhile.
    bool receiving = false;
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;
    std::optional<std::int64_t> received_at_ms;
    std::optional<std::int64_t> rejected_at_ms;
    std::vector<ReturnItem> items;
};

nlohmann::json to_json(const OrderReturn& r);

}  // namespace shop::order
