#pragma once
// Charges, refunds and webhooks. A provider call never sits inside a database transaction:
// each operation claims its ground in one transaction (the idempotency key, a `processing`
// payment or a refund reservation), calls the provider, then records the outcome in a second.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "payment.hpp"
#include "payment_repository.hpp"
#include "provider.hpp"
#include "shop/api/orders.hpp"
#include "shop/api/payments.hpp"
#include "shop/module.hpp"

namespace shop::payment {

// Declined payments an order may have; the next attempt is 409 too_many_attempts.
inline constexpr int kMaxFailedAttempts = 5;

class PaymentService final : public api::Payments {
public:
    PaymentService(Runtime& rt, api::Orders& orders, std::unique_ptr<PaymentProvider> provider);

    // POST /payments: the created payment whatever the card's answer; not_found for an order
    // the caller does not own; order_not_payable when it is not pending_payment or already
    // has a payment that is processing or succeeded.
    // caller_id: the order owner the handler checked the bearer or order token against (owner_by_token).
    core::Answer pay(const std::string& caller_id, const core::IdempotencyKey& key, const std::string& order_id,
                     const Card& card);
    // The order's owner when the order token opens it: "" for a guest's order, or the
    // account that took it on registering with its e-mail; nullopt when it does not open it.
    std::optional<std::string> owner_by_token(const std::string& order_id, std::string_view order_token);
    // POST /payments/{id}/refunds: amount defaults to what is left.
    core::Answer refund(const std::optional<core::IdempotencyKey>& key, const std::string& payment_id,
                        std::optional<std::int64_t> amount);
    // POST /payments/webhook: settles processing payments; an event id seen before does nothing.
    nlohmann::json webhook(std::string_view signature_header, std::string_view body);

    std::optional<Payment> find(const std::string& id);
    std::vector<Payment> for_order(const std::string& order_id);
    std::int64_t refund_order_in_full(std::string_view order_id) override;
    std::int64_t refund_for_return(std::string_view order_id, std::string_view return_id,
                                   std::int64_t amount) override;

private:
    Refund refund_now(const Payment& p, std::int64_t amount, const std::optional<core::IdempotencyKey>& key,
                      core::Answer* answer);
    // A charge that succeeded for an order no longer payable (expired or cancelled
    // meanwhile) is given straight back.
    void return_orphan(const std::string& payment_id);

    Runtime& rt_;
    api::Orders& orders_;
    std::unique_ptr<PaymentProvider> provider_;
    PaymentRepository repo_;
    core::Metrics& metrics_;
};

}  // namespace shop::payment
