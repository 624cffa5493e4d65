#include "shop/events/payment_events.hpp"

#include "events/json_fields.hpp"

namespace shop::events {

using nlohmann::json;
using namespace fields;

void to_json(json& j, const PaymentSucceeded& e) {
    j = {{"payment_id", e.payment_id},
         {"order_id", e.order_id},
         {"user_id", e.user_id},
         {"amount", e.amount},
         {"currency", e.currency}};
}
void from_json(const json& j, PaymentSucceeded& e) {
    e.payment_id = text(j, "payment_id");
    e.order_id = text(j, "order_id");
    e.user_id = text(j, "user_id");
    e.amount = integer(j, "amount");
    e.currency = text(j, "currency");
}

void to_json(json& j, const PaymentFailed& e) {
    j = {{"payment_id", e.payment_id},
         {"order_id", e.order_id},
         {"user_id", e.user_id},
         {"failure_code", e.failure_code}};
}
void from_json(const json& j, PaymentFailed& e) {
    e.payment_id = text(j, "payment_id");
    e.order_id = text(j, "order_id");
    e.user_id = text(j, "user_id");
    e.failure_code = text(j, "failure_code");
}

void to_json(json& j, const PaymentProcessing& e) {
    j = {{"payment_id", e.payment_id}, {"order_id", e.order_id}, {"user_id", e.user_id}};
}
void from_json(const json& j, PaymentProcessing& e) {
    e.payment_id = text(j, "payment_id");
    e.order_id = text(j, "order_id");
    e.user_id = text(j, "user_id");
}

void to_json(json& j, const PaymentRefunded& e) {
    j = {{"payment_id", e.payment_id},
         {"order_id", e.order_id},
         {"refund_id", e.refund_id},
         {"amount", e.amount},
         {"currency", e.currency}};
}
void from_json(const json& j, PaymentRefunded& e) {
    e.payment_id = text(j, "payment_id");
    e.order_id = text(j, "order_id");
    e.refund_id = text(j, "refund_id");
    e.amount = integer(j, "amount");
    e.currency = text(j, "currency");
}

}  // namespace shop::events
