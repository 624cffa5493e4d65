#include "payment.hpp"
#include "shop/core/time.hpp"

namespace shop::payment {

nlohmann::json to_json(const Payment& p) {
    return {
        {"id", p.id},
        {"order_id", p.order_id},
        {"amount", p.amount},
        {"currency", p.currency},
        {"status", p.status},
        {"failure_code", p.failure_code ? nlohmann::json(*p.failure_code) : nlohmann::json(nullptr)},
        {"card", {{"brand", p.card_brand}, {"last4", p.card_last4}}},
        {"amount_refunded", p.amount_refunded},
        {"created_at", core::format_rfc3339(p.created_at_ms)},
    };
}

nlohmann::json to_json(const Refund& r) {
    return {{"id", r.id},
            {"payment_id", r.payment_id},
            {"amount", r.amount},
            {"currency", r.currency},
            {"created_at", core::format_rfc3339(r.created_at_ms)}};
}

}  // namespace shop::payment
