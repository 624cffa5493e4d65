#include "payment_service.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "shop/core/log.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"
#include "shop/db/errors.hpp"
#include "shop/core/error.hpp"
#include "shop/events/payment_events.hpp"

namespace shop::payment {

using nlohmann::json;

namespace {
Error not_payable(const std::string& why) { return Error("order_not_payable", why); }

const char* status_name(ChargeResult::Status s) {
    switch (s) {
        case ChargeResult::Status::Succeeded: return "succeeded";
        case ChargeResult::Status::Failed: return "failed";
        case ChargeResult::Status::Processing: return "processing";
    }
    return "processing";
}

events::PaymentSucceeded succeeded_event(const Payment& p) {
    return {p.id, p.order_id, p.user_id, p.amount, p.currency};
}
}  // namespace

PaymentService::PaymentService(Runtime& rt, api::Orders& orders, std::unique_ptr<PaymentProvider> provider)
    : rt_(rt), orders_(orders), provider_(std::move(provider)), metrics_(rt.metrics) {
    // Every outcome shows in /metrics from the start, at zero, so dashboards need no special case.
    for (const char* outcome : {"succeeded", "failed", "processing", "refunded"})
        metrics_.counter("shopd_payments_total", "Payments by outcome", fmt::format("outcome=\"{}\"", outcome));
}

std::optional<std::string> PaymentService::owner_by_token(const std::string& order_id, std::string_view order_token) {
    return rt_.db.read([&](db::Conn& c) -> std::optional<std::string> {
        if (!orders_.opened_by(c, order_id, order_token)) return std::nullopt;
        auto o = orders_.order(c, order_id);
        if (!o) return std::nullopt;
        return o->user_id;
    });
}

core::Answer PaymentService::pay(const std::string& caller_id, const core::IdempotencyKey& key,
                                   const std::string& order_id, const Card& card) {
    Payment p;
    std::optional<core::Answer> replay;
    try {
        replay = rt_.db.write([&](db::Tx& tx) -> std::optional<core::Answer> {
            if (auto stored = rt_.idempotency.claim(tx, key)) return stored;
            auto o = orders_.order(tx, order_id);
            if (!o || o->user_id != caller_id) throw Error::not_found("no such order");
            if (o->status != "pending_payment") throw not_payable("the order is " + o->status);
            if (repo_.active_for_order(tx, order_id))
                throw not_payable("the order already has a payment that is processing or succeeded");
            // Card testing: a stolen-card list tried against one cheap order.
            if (repo_.failed_for_order(tx, order_id) >= kMaxFailedAttempts)
                throw Error("too_many_attempts", "this order has had " + std::to_string(kMaxFailedAttempts) +
                                                     " declined payments; place a new order to try again")
                    .with_field("max_attempts", kMaxFailedAttempts);
            p = Payment{};
            p.id = core::new_id("pay");
            p.order_id = o->id;
            p.user_id = o->user_id;
            p.amount = o->total;  // always the order's total, never the client's
            p.currency = o->currency;
            p.status = "processing";
            p.card_brand = card.brand();
            p.card_last4 = card.last4();
            p.created_at_ms = p.updated_at_ms = core::now_ms();
            repo_.insert(tx, p);
            return std::nullopt;
        });
    } catch (const core::Idempotency::InProgress&) {
        // The key's first request recorded its payment and has not finished: it is still at
        // the provider, or its process died there (a replica killed mid-request), and would
        // leave the key in progress for good. The provider charges at most once per payment
        // id, so this request charges under the same id and finishes the payment itself;
        // whichever of the two settles it first records the outcome.
        auto pending = rt_.db.read([&](db::Conn& c) { return repo_.active_for_order(c, order_id); });
        if (!pending || pending->status != "processing" || pending->user_id != caller_id)
            return rt_.idempotency.await(key);
        p = *pending;
    } catch (const db::ConstraintError&) {
        // Another key's payment for this order got in first (the unique index caught it).
        throw not_payable("the order already has a payment that is processing or succeeded");
    }
    if (replay) return std::move(*replay);

    ChargeResult result;
    try {
        result = provider_->charge({p.id, p.amount, p.currency, card});
    } catch (const std::exception& e) {
        // Unknown outcome: keep it processing; the provider's webhook will settle it.
        log::warn("payment {}: provider {} failed: {}", p.id, provider_->name(), e.what());
        result.status = ChargeResult::Status::Processing;
    }

    bool orphan = false;
    bool recorded = false;
    core::Answer answer = rt_.db.write([&](db::Tx& tx) {
        std::string status = status_name(result.status);
        std::optional<std::string> failure;
        if (result.status == ChargeResult::Status::Failed) failure = result.failure_code;
        orphan = false;
        // False when the other request finishing this payment settled it first: its outcome
        // stands and its effects are done; this one answers with the payment as it is.
        recorded = result.status == ChargeResult::Status::Processing ||
                   repo_.settle(tx, p.id, status, failure, result.reference, core::now_ms());
        if (recorded && result.status == ChargeResult::Status::Succeeded) {
            orphan = !orders_.mark_paid(tx, p.order_id, p.id);
            tx.emit(succeeded_event(p));
            // The order was cancelled or expired while the card was charged: reserve the full
            // refund in this same transaction, so that no committed state (and no crash) leaves
            // a captured payment on an unpaid order, and no admin refund can race it.
            if (orphan) repo_.reserve_refund(tx, p.id, p.amount, core::now_ms());
        } else if (recorded && result.status == ChargeResult::Status::Failed) {
            tx.emit(events::PaymentFailed{p.id, p.order_id, p.user_id, result.failure_code});
        } else if (recorded) {
            tx.emit(events::PaymentProcessing{p.id, p.order_id, p.user_id});
        }
        core::Answer a{to_json(*repo_.find(tx, p.id)), true, "/api/v1/payments/" + p.id};
        rt_.idempotency.complete(tx, key, a);
        return a;
    });
    if (recorded)
        metrics_.counter("shopd_payments_total", "Payments by outcome",
                         fmt::format("outcome=\"{}\"", status_name(result.status)))
            .inc();
    if (orphan) return_orphan(p.id);
    return answer;
}

// The full refund was reserved in the transaction that found the order unpayable; this
// pays it out. (It used to refund without reserving, so an admin refund racing it could
// take the total refunded above the amount paid.)
void PaymentService::return_orphan(const std::string& payment_id) {
    auto p = find(payment_id);
    if (!p) return;
    log::warn("payment {} succeeded for order {} that is no longer payable: refunding it", p->id, p->order_id);
    refund_now(*p, p->amount, std::nullopt, nullptr);
}

Refund PaymentService::refund_now(const Payment& p, std::int64_t amount, const std::optional<core::IdempotencyKey>& key,
                                  core::Answer* answer) {
    RefundResult r;
    try {
        r = provider_->refund(p.provider_ref, amount, p.currency, {});
    } catch (const std::exception& e) {
        log::warn("refund of payment {}: provider failed: {}", p.id, e.what());
        r.ok = false;
    }
    if (!r.ok) {
        rt_.db.write([&](db::Tx& tx) {
            repo_.unreserve_refund(tx, p.id, amount, core::now_ms());
            if (key) rt_.idempotency.abandon(tx, *key);
        });
        throw Error("provider_error", "the payment provider did not accept the refund; try again later");
    }
    Refund refund{core::new_id("re"), p.id, amount, p.currency, core::now_ms()};
    rt_.db.write([&](db::Tx& tx) {
        repo_.insert_refund(tx, refund, r.reference);
        tx.emit(events::PaymentRefunded{p.id, p.order_id, refund.id, amount, p.currency});
        if (answer) {
            *answer = core::Answer{to_json(refund), true, ""};
            if (key) rt_.idempotency.complete(tx, *key, *answer);
        }
    });
    metrics_.counter("shopd_payments_total", "Payments by outcome", "outcome=\"refunded\"").inc();
    return refund;
}

core::Answer PaymentService::refund(const std::optional<core::IdempotencyKey>& key, const std::string& payment_id,
                                      std::optional<std::int64_t> amount) {
    Payment p;
    std::int64_t take = 0;
    std::optional<core::Answer> replay;
    try {
        replay = rt_.db.write([&](db::Tx& tx) -> std::optional<core::Answer> {
            if (key)
                if (auto stored = rt_.idempotency.claim(tx, *key)) return stored;
            auto found = repo_.find(tx, payment_id);
            if (!found) throw Error::not_found("no such payment");
            p = *found;
            if (p.status != "succeeded" && p.status != "partially_refunded" && p.status != "refunded")
                throw Error("payment_not_refundable", "only a succeeded payment can be refunded; this one is " + p.status);
            take = amount.value_or(p.amount - p.amount_refunded);
            if (take <= 0 || !repo_.reserve_refund(tx, p.id, take, core::now_ms()))
                throw Error("refund_exceeds_payment",
                            fmt::format("at most {} of {} is left to refund", p.amount - p.amount_refunded,
                                                     p.amount))
                    .with_field("refundable", p.amount - p.amount_refunded);
            return std::nullopt;
        });
    } catch (const core::Idempotency::InProgress&) {
        return rt_.idempotency.await(*key);
    }
    if (replay) return std::move(*replay);
    core::Answer answer;
    refund_now(p, take, key, &answer);
    return answer;
}

std::int64_t PaymentService::refund_order_in_full(std::string_view order_id) {
    auto paid = rt_.db.read([&](db::Conn& c) { return repo_.active_for_order(c, std::string(order_id)); });
    if (!paid || (paid->status != "succeeded" && paid->status != "partially_refunded")) return 0;
    std::int64_t left = paid->amount - paid->amount_refunded;
    bool reserved = rt_.db.write([&](db::Tx& tx) { return repo_.reserve_refund(tx, paid->id, left, core::now_ms()); });
    if (!reserved) throw Error("refund_exceeds_payment", "the payment changed; try again");
    refund_now(*paid, left, std::nullopt, nullptr);
    return left;
}

// A return's refund, once per return (api::Payments). Three steps, as every refund here:
// reserve (with the claim on the return's key) in one transaction, ask the provider outside
// any, record in a second. Whatever dies in between, the claim survives with its
// reservation, and the next call for the return asks the provider again under the same key:
// the provider answers with the refund it already made, and the claim's conditional
// settle records it exactly once.
std::int64_t PaymentService::refund_for_return(std::string_view order_id, std::string_view return_id,
                                               std::int64_t amount) {
    if (amount < 0) throw std::invalid_argument("refund_for_return: a negative amount");
    const std::string key = "return:" + std::string(return_id);
    struct Claim {
        Payment payment;
        std::int64_t amount = 0;
        bool done = false;
    };
    Claim claim = rt_.db.write([&](db::Tx& tx) {
        Claim c;
        if (auto held = repo_.find_refund_key(tx, key)) {
            c.payment = *repo_.find(tx, held->payment_id);
            c.amount = held->amount;
            c.done = held->refund_id.has_value();
            return c;
        }
        if (amount == 0) {
            c.done = true;
            return c;
        }
        auto p = repo_.active_for_order(tx, std::string(order_id));
        if (!p || (p->status != "succeeded" && p->status != "partially_refunded" && p->status != "refunded"))
            throw Error("payment_not_refundable", "the order has no captured payment to refund");
        if (!repo_.reserve_refund(tx, p->id, amount, core::now_ms()))
            throw Error("refund_exceeds_payment",
                        fmt::format("at most {} of {} is left to refund", p->amount - p->amount_refunded, p->amount))
                .with_field("refundable", p->amount - p->amount_refunded);
        // The key is free (read above, in this transaction); a concurrent claimer makes this
        // transaction retry (SQLite has one writer; PostgreSQL reports the conflict).
        if (!repo_.claim_refund_key(tx, key, p->id, amount, core::now_ms()))
            throw Error("idempotency_in_progress", "this return's refund is being made; retry shortly")
                .with_retry_after(1);
        c.payment = *p;
        c.amount = amount;
        return c;
    });
    if (claim.done) return claim.amount;

    const Payment& p = claim.payment;
    RefundResult r;
    try {
        r = provider_->refund(p.provider_ref, claim.amount, p.currency, key);
    } catch (const std::exception& e) {
        log::warn("refund of payment {} for {}: provider failed: {}", p.id, key, e.what());
        r.ok = false;
    }
    if (!r.ok) {
        rt_.db.write([&](db::Tx& tx) {
            if (repo_.drop_refund_key(tx, key)) repo_.unreserve_refund(tx, p.id, claim.amount, core::now_ms());
        });
        throw Error("provider_error", "the payment provider did not accept the refund; try again later");
    }
    Refund refund{core::new_id("re"), p.id, claim.amount, p.currency, core::now_ms()};
    bool recorded = rt_.db.write([&](db::Tx& tx) {
        // Another call for this return (a concurrent one) recorded it first: one row, one event.
        if (!repo_.settle_refund_key(tx, key, refund.id)) return false;
        repo_.insert_refund(tx, refund, r.reference);
        tx.emit(events::PaymentRefunded{p.id, p.order_id, refund.id, claim.amount, p.currency});
        return true;
    });
    if (recorded) metrics_.counter("shopd_payments_total", "Payments by outcome", "outcome=\"refunded\"").inc();
    return claim.amount;
}

nlohmann::json PaymentService::webhook(std::string_view signature_header, std::string_view body) {
    WebhookEvent e = provider_->parse_webhook(signature_header, body, core::now_ms() / 1000);
    bool duplicate = false;
    std::optional<std::string> orphan;
    const char* settled = nullptr;  // the outcome this webhook decided, for the metric
    rt_.db.write([&](db::Tx& tx) {
        duplicate = !repo_.first_sighting(tx, e.id, core::now_ms());
        orphan.reset();
        settled = nullptr;
        if (duplicate) return;
        auto p = repo_.find(tx, e.payment_id);
        if (!p) return;  // not ours (or long gone): acknowledged, nothing to do
        if (e.type == "payment.succeeded" &&
            repo_.settle(tx, p->id, "succeeded", std::nullopt, p->provider_ref, core::now_ms())) {
            if (!orders_.mark_paid(tx, p->order_id, p->id)) {
                orphan = p->id;
                repo_.reserve_refund(tx, p->id, p->amount, core::now_ms());  // as in pay()
            }
            tx.emit(succeeded_event(*p));
            settled = "succeeded";
        } else if (e.type == "payment.failed" &&
                   repo_.settle(tx, p->id, "failed", std::string("payment_failed"), p->provider_ref, core::now_ms())) {
            tx.emit(events::PaymentFailed{p->id, p->order_id, p->user_id, "payment_failed"});
            settled = "failed";
        }
    });
    if (settled)
        metrics_.counter("shopd_payments_total", "Payments by outcome", fmt::format("outcome=\"{}\"", settled)).inc();
    if (orphan) return_orphan(*orphan);
    return {{"received", true}, {"duplicate", duplicate}};
}

std::optional<Payment> PaymentService::find(const std::string& id) {
    return rt_.db.read([&](db::Conn& c) { return repo_.find(c, id); });
}

std::vector<Payment> PaymentService::for_order(const std::string& order_id) {
    return rt_.db.read([&](db::Conn& c) { return repo_.for_order(c, order_id); });
}

}  // namespace shop::payment
