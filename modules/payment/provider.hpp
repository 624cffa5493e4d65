#pragma once
// A payment provider behind one interface. shopd calls it only from worker threads and
// never inside a database transaction: a slow provider holds no lock and stalls no loop.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "card.hpp"

namespace shop::payment {

struct ChargeRequest {
    std::string payment_id;  // ours; providers use it as their idempotency key
    std::int64_t amount = 0;
    std::string currency;
    Card card;
};

struct ChargeResult {
    enum class Status { Succeeded, Failed, Processing };
    Status status = Status::Failed;
    std::string failure_code;  // card_declined, insufficient_funds, ... when Failed
    std::string reference;     // the provider's id for the charge
};

// The payment status an outcome is recorded as, and the sandbox's books write.
inline const char* to_string(ChargeResult::Status s) {
    switch (s) {
        case ChargeResult::Status::Succeeded: return "succeeded";
        case ChargeResult::Status::Failed: return "failed";
        case ChargeResult::Status::Processing: return "processing";
    }
    return "processing";
}

struct RefundResult {
    bool ok = false;
    std::string failure_code;
    std::string reference;
};

// A webhook the provider sent, after its signature was checked.
struct WebhookEvent {
    std::string id;    // the provider's event id: seen twice, acted on once
    std::string type;  // payment.succeeded | payment.failed
    std::string payment_id;
};

class PaymentProvider {
public:
    virtual ~PaymentProvider() = default;
    virtual std::string_view name() const = 0;
    // Authorise and capture in one step. May block on the network; a timeout or transport
    // failure throws, and the payment stays `processing` until a webhook settles it.
    virtual ChargeResult charge(const ChargeRequest& req) = 0;
    // `idempotency_key` is passed to the provider as its idempotency key: a second refund
    // with the same key is the first one again (same reference), never a second payout.
    // Every refund shopd makes is keyed (see PaymentService), so one left in doubt by a
    // crash can be looked up with retrieve_refund.
    virtual RefundResult refund(std::string_view reference, std::int64_t amount, std::string_view currency,
                                std::string_view idempotency_key) = 0;
    // What the provider knows of the charge made under our payment id: its outcome, or
    // nullopt when no such charge reached it. Used by reconciliation (reconciler.hpp) for a
    // payment a crash or a lost webhook left `processing`. May block; throws on a
    // transport failure (the next round asks again).
    virtual std::optional<ChargeResult> retrieve_charge(std::string_view payment_id) = 0;
    // The refund made under `idempotency_key` (ok, with its reference), or nullopt when
    // none was. Looked up rather than asked again because a provider forgets idempotency
    // keys after a while (Stripe: 24 hours), and asking again then would pay twice.
    virtual std::optional<RefundResult> retrieve_refund(std::string_view idempotency_key) = 0;
    // Verifies the signature header against the raw body and parses the event; throws
    // Error 400 invalid_signature (or invalid_json for an unreadable body).
    virtual WebhookEvent parse_webhook(std::string_view signature_header, std::string_view body,
                                       std::int64_t now_s) const = 0;
};

}  // namespace shop::payment
