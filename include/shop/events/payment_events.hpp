#pragma once
// The payment module's domain events. Each struct is the whole contract of its event's
// `data` (docs/events.md), defined once in src/events/payment_events.cpp. Money is in
// minor units beside `currency`.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace shop::events {

struct PaymentSucceeded {
    static constexpr std::string_view kType = "payment.succeeded";
    std::string payment_id;
    std::string order_id;
    std::string user_id;
    std::int64_t amount = 0;
    std::string currency;
    bool operator==(const PaymentSucceeded&) const = default;
};

struct PaymentFailed {
    static constexpr std::string_view kType = "payment.failed";
    std::string payment_id;
    std::string order_id;
    std::string user_id;
    std::string failure_code;
    bool operator==(const PaymentFailed&) const = default;
};

struct PaymentProcessing {
    static constexpr std::string_view kType = "payment.processing";
    std::string payment_id;
    std::string order_id;
    std::string user_id;
    bool operator==(const PaymentProcessing&) const = default;
};

struct PaymentRefunded {
    static constexpr std::string_view kType = "payment.refunded";
    std::string payment_id;
    std::string order_id;
    std::string refund_id;
    std::int64_t amount = 0;
    std::string currency;
    bool operator==(const PaymentRefunded&) const = default;
};

void to_json(nlohmann::json& j, const PaymentSucceeded& e);
void from_json(const nlohmann::json& j, PaymentSucceeded& e);
void to_json(nlohmann::json& j, const PaymentFailed& e);
void from_json(const nlohmann::json& j, PaymentFailed& e);
void to_json(nlohmann::json& j, const PaymentProcessing& e);
void from_json(const nlohmann::json& j, PaymentProcessing& e);
void to_json(nlohmann::json& j, const PaymentRefunded& e);
void from_json(const nlohmann::json& j, PaymentRefunded& e);

}  // namespace shop::events
