#pragma once
// The built-in provider for development and tests. It follows the well-known test cards:
//   4242424242424242  succeeds
//   4000000000000002  declined (card_declined)
//   4000000000009995  declined (insufficient_funds)
//   4000000000003220  answers processing; a signed webhook settles it later
// Any other valid card number succeeds. Refunds always succeed. Like a real provider it is
// idempotent (a charge per payment id, a refund per key: asked again, it answers the first
// outcome) and remembers what it did (SandboxLedger), so retrieve_* and reconciliation
// work across restarts.
#include "provider.hpp"
#include "sandbox_ledger.hpp"

namespace shop::payment {

class SandboxProvider final : public PaymentProvider {
public:
    SandboxProvider(std::string webhook_secret, db::Database& db)
        : secret_(std::move(webhook_secret)), ledger_(db) {}
    std::string_view name() const override { return "sandbox"; }
    ChargeResult charge(const ChargeRequest& req) override;
    RefundResult refund(std::string_view reference, std::int64_t amount, std::string_view currency,
                        std::string_view idempotency_key) override;
    std::optional<ChargeResult> retrieve_charge(std::string_view payment_id) override;
    std::optional<RefundResult> retrieve_refund(std::string_view idempotency_key) override;
    WebhookEvent parse_webhook(std::string_view signature_header, std::string_view body,
                               std::int64_t now_s) const override;

private:
    std::string secret_;
    SandboxLedger ledger_;
};

}  // namespace shop::payment
