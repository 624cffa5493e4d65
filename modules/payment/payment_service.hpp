#pragma once
// Charges, refunds and webhooks. A provider call never sits inside a database transaction:
// each operation claims its ground in one transaction (the idempotency key, a `processing`
// payment or a refund claim with its reservation), calls the provider, then records the
// outcome in a second. Every refund is claimed under a key the provider sees too
// (refund:<id>, cancel:<order>, return:<id>, orphan:<payment>), so whatever dies between
// the two transactions leaves a claim that reconcile() settles with the provider.
#include <chrono>
#include <functional>
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

// Outside PaymentService so that `= {}` can default it (a nested class with member
// initialisers is incomplete inside its enclosing class).
struct PaymentOptions {
    // A payment processing, or a refund claim unrecorded, this long is reconciled.
    std::chrono::seconds settle_after{120};
    // Tests only: "after_provider_charge" or "after_provider_refund" kills the process
    // with SIGKILL right after the provider answered, before anything is recorded: the
    // crash that reconciliation exists for (tests/integration/test_reconcile.py).
    std::string crash_at;
};

class PaymentService final : public api::Payments {
public:
    using Options = PaymentOptions;
    PaymentService(Runtime& rt, api::Orders& orders, std::unique_ptr<PaymentProvider> provider,
                   Options options = {});

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
    std::chrono::seconds settle_after() const override { return options_.settle_after; }

    // One round of reconciliation (reconcile.cpp; the module runs it every 30 s): asks the
    // provider about payments left processing and refund claims left unrecorded for
    // settle_after, and records what it answers. Safe beside live requests and other
    // replicas: every record is conditional, and the provider dedupes by key.
    void reconcile();

private:
    enum class OnRefusal { Drop, Keep };
    using RecordHook = std::function<void(db::Tx&, const Refund&)>;
    // Asks the provider for the refund claimed under `key` (claim and reservation are
    // committed) and records it, once. A refusal throws provider_error; with Drop the claim
    // and its reservation go first (the caller gives up and may try again), with Keep they
    // stay for reconcile() to try again (money the shop owes: an orphan charge).
    Refund pay_out(const std::string& key, OnRefusal on_refusal, const RecordHook& also = {});
    // Records the refund the provider made under `key`, unless it is recorded already;
    // `also` runs in the same transaction either way. The refund, as recorded.
    Refund record_refund(const std::string& key, const std::string& provider_ref, const RecordHook& also = {});
    // processing -> the provider's outcome, with its event and the order marked paid; a
    // charge that succeeded for an order no longer payable has its full refund claimed
    // (orphan:<payment>) in the same transaction. False when it was settled already;
    // `orphan` says whether a refund was claimed.
    bool record_charge(db::Tx& tx, const Payment& p, const ChargeResult& result, bool& orphan);
    void count(std::string_view outcome);
    void crash_point(std::string_view where) const;

    Runtime& rt_;
    api::Orders& orders_;
    std::unique_ptr<PaymentProvider> provider_;
    PaymentRepository repo_;
    core::Metrics& metrics_;
    Options options_;
};

}  // namespace shop::payment
