#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace shop::payment {

// succeeded, failed, processing, refunded, partially_refunded
struct Payment {
    std::string id;
    std::string order_id;
    std::string user_id;
    std::int64_t amount = 0;
    std::string currency;
    std::string status;
    std::optional<std::string> failure_code;
    std::string card_brand;
    std::string card_last4;
    std::int64_t amount_refunded = 0;
    std::string provider_ref;
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;
};

struct Refund {
    std::string id;
    std::string payment_id;
    std::int64_t amount = 0;
    std::string currency;
    std::int64_t created_at_ms = 0;
};

nlohmann::json to_json(const Payment& p);
nlohmann::json to_json(const Refund& r);

// The status a payment has once `refunded` of `amount` has been given back.
inline std::string refund_status(std::int64_t amount, std::int64_t refunded) {
    return refunded >= amount ? "refunded" : refunded > 0 ? "partially_refunded" : "succeeded";
}

}  // namespace shop::payment
