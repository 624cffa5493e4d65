// Reconciliation with the provider: what a crash (or a lost webhook) left in doubt is
// settled by asking the provider what it did, never by guessing.
//   - A payment still `processing` after settle_after: retrieve_charge. Succeeded or failed
//     is recorded as a webhook would record it (order marked paid, events, an orphan's
//     refund claimed); still processing waits for the next round; a charge the provider
//     never saw failed before it got there (the process died first), so the payment fails
//     with `payment_abandoned` and the order can be paid again.
//   - A refund claim with no refund after settle_after: retrieve_refund. A refund the
//     provider made is recorded; one it never made is made now under the same key, since a
//     claim is money someone asked to give back (an admin, a cancel, a return, an orphan
//     charge) and its amount is reserved until then.
// The age keeps it off requests still in flight; if one is (a provider slower than
// settle_after), both sides record conditionally and the provider dedupes by key, so the
// worst case is a wasted call, never a second payout or a second record.
#include <fmt/format.h>

#include "payment_service.hpp"
#include "shop/core/log.hpp"
#include "shop/core/time.hpp"

namespace shop::payment {

namespace {
constexpr std::int64_t kBatch = 100;  // per round; the next round (30 s) takes the rest
}

void PaymentService::reconcile() {
    const std::int64_t before =
        core::now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(options_.settle_after).count();
    auto reconciled = [&](const char* kind) {
        metrics_.counter("shopd_payments_reconciled_total", "Payments and refunds settled with the provider by reconciliation",
                         fmt::format("kind=\"{}\"", kind))
            .inc();
    };

    for (const Payment& p : rt_.db.read([&](db::Conn& c) { return repo_.processing_before(c, before, kBatch); })) {
        try {
            std::optional<ChargeResult> known = provider_->retrieve_charge(p.id);
            if (known && known->status == ChargeResult::Status::Processing) continue;
            ChargeResult result = known ? *known
                                        : ChargeResult{ChargeResult::Status::Failed, "payment_abandoned", p.provider_ref};
            bool orphan = false;
            bool recorded = rt_.db.write([&](db::Tx& tx) { return record_charge(tx, p, result, orphan); });
            if (!recorded) continue;  // settled meanwhile by its request or a webhook
            count(result.status == ChargeResult::Status::Succeeded ? "succeeded" : "failed");
            reconciled("payment");
            log::info("reconciled payment {} of order {}: {}", p.id, p.order_id,
                      known ? "the provider had settled it" : "the provider never saw it (payment_abandoned)");
            if (orphan) pay_out("orphan:" + p.id, OnRefusal::Keep);
        } catch (const std::exception& e) {
            log::warn("reconciling payment {}: {}; next round tries again", p.id, e.what());
        }
    }

    for (const std::string& key :
         rt_.db.read([&](db::Conn& c) { return repo_.open_refund_keys_before(c, before, kBatch); })) {
        try {
            std::optional<RefundResult> made = provider_->retrieve_refund(key);
            Refund refund = made && made->ok ? record_refund(key, made->reference) : pay_out(key, OnRefusal::Keep);
            reconciled("refund");
            log::info("reconciled refund {} ({}): {} of payment {}", key, made ? "made before" : "made now",
                      refund.amount, refund.payment_id);
        } catch (const std::exception& e) {
            log::warn("reconciling refund {}: {}; next round tries again", key, e.what());
        }
    }
}

}  // namespace shop::payment
