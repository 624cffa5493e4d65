#include "payment_service.hpp"

#include <csignal>
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

events::PaymentSucceeded succeeded_event(const Payment& p) {
    return {p.id, p.order_id, p.user_id, p.amount, p.currency};
}
}  // namespace

PaymentService::PaymentService(Runtime& rt, api::Orders& orders, std::unique_ptr<PaymentProvider> provider,
                               Options options)
    : rt_(rt), orders_(orders), provider_(std::move(provider)), metrics_(rt.metrics), options_(std::move(options)) {
    // Every outcome shows in /metrics from the start, at zero, so dashboards need no special case.
    for (const char* outcome : {"succeeded", "failed", "processing", "refunded"})
        metrics_.counter("shopd_payments_total", "Payments by outcome", fmt::format("outcome=\"{}\"", outcome));
}

void PaymentService::count(std::string_view outcome) {
    metrics_.counter("shopd_payments_total", "Payments by outcome", fmt::format("outcome=\"{}\"", outcome)).inc();
}

void PaymentService::crash_point(std::string_view where) const {
    if (options_.crash_at != where) return;
    log::error("SHOPD_TEST_CRASH_AT={}: killing the process", where);
    ::raise(SIGKILL);
}

bool PaymentService::record_charge(db::Tx& tx, const Payment& p, const ChargeResult& result, bool& orphan) {
    orphan = false;
    if (result.status == ChargeResult::Status::Processing) return false;
    std::optional<std::string> failure;
    if (result.status == ChargeResult::Status::Failed) failure = result.failure_code;
    // False when another request, a webhook or reconciliation settled it first: its
    // outcome stands and its effects are done.
    if (!repo_.settle(tx, p.id, to_string(result.status), failure, result.reference, core::now_ms())) return false;
    if (result.status == ChargeResult::Status::Failed) {
        tx.emit(events::PaymentFailed{p.id, p.order_id, p.user_id, result.failure_code});
        return true;
    }
    orphan = !orders_.mark_paid(tx, p.order_id, p.id);
    tx.emit(succeeded_event(p));
    // The order was cancelled or expired while the card was charged: claim the full refund
    // in this same transaction, so that no committed state (and no crash) leaves a captured
    // payment on an unpaid order, and no admin refund can race it.
    orphan = orphan && p.amount > 0;
    if (orphan) {
        repo_.reserve_refund(tx, p.id, p.amount, core::now_ms());
        repo_.claim_refund_key(tx, "orphan:" + p.id, p.id, p.amount, core::now_ms());
    }
    return true;
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
        auto payments = for_order(order_id);
        if (payments.empty() || payments.back().user_id != caller_id) return rt_.idempotency.await(key);
        p = payments.back();
        if (p.status != "processing") {
            // Settled since by a webhook or by reconciliation, while no request of this key
            // was alive to answer: this one answers, and finishes the key.
            core::Answer a{to_json(p), true, "/api/v1/payments/" + p.id};
            rt_.db.write([&](db::Tx& tx) { rt_.idempotency.complete(tx, key, a); });
            return a;
        }
    } catch (const db::ConstraintError&) {
        // Another key's payment for this order got in first (the unique index caught it).
        throw not_payable("the order already has a payment that is processing or succeeded");
    }
    if (replay) return std::move(*replay);

    ChargeResult result;
    try {
        result = provider_->charge({p.id, p.amount, p.currency, card});
    } catch (const std::exception& e) {
        // Unknown outcome: keep it processing; the provider's webhook, or reconcile(),
        // settles it.
        log::warn("payment {}: provider {} failed: {}", p.id, provider_->name(), e.what());
        result.status = ChargeResult::Status::Processing;
    }
    crash_point("after_provider_charge");

    bool orphan = false;
    bool recorded = false;
    core::Answer answer = rt_.db.write([&](db::Tx& tx) {
        recorded = record_charge(tx, p, result, orphan);
        if (!recorded && result.status == ChargeResult::Status::Processing) {
            recorded = true;  // counted as processing; its event says so
            tx.emit(events::PaymentProcessing{p.id, p.order_id, p.user_id});
        }
        core::Answer a{to_json(*repo_.find(tx, p.id)), true, "/api/v1/payments/" + p.id};
        rt_.idempotency.complete(tx, key, a);
        return a;
    });
    if (recorded) count(to_string(result.status));
    if (orphan) {
        log::warn("payment {} succeeded for order {} that is no longer payable: refunding it", p.id, p.order_id);
        try {
            pay_out("orphan:" + p.id, OnRefusal::Keep);
        } catch (const Error& e) {
            // The claim stays; reconcile() asks again. The payer's answer is the payment.
            log::warn("refund of orphan payment {}: {}", p.id, e.what());
        }
    }
    return answer;
}

Refund PaymentService::record_refund(const std::string& key, const std::string& provider_ref,
                                     const RecordHook& also) {
    Refund out;
    bool recorded = rt_.db.write([&](db::Tx& tx) {
        auto held = repo_.find_refund_key(tx, key);
        if (!held) throw std::logic_error("record_refund: no claim for " + key);
        // Another call for this key (a concurrent one, or reconciliation) recorded it first:
        // one row, one event.
        if (held->refund_id) {
            out = *repo_.find_refund(tx, *held->refund_id);
            if (also) also(tx, out);
            return false;
        }
        auto p = repo_.find(tx, held->payment_id);
        out = Refund{core::new_id("re"), p->id, held->amount, p->currency, core::now_ms()};
        repo_.settle_refund_key(tx, key, out.id);
        repo_.insert_refund(tx, out, provider_ref);
        tx.emit(events::PaymentRefunded{p->id, p->order_id, out.id, out.amount, p->currency});
        if (also) also(tx, out);
        return true;
    });
    if (recorded) count("refunded");
    return out;
}

Refund PaymentService::pay_out(const std::string& key, OnRefusal on_refusal, const RecordHook& also) {
    struct Held {
        Payment payment;
        std::int64_t amount = 0;
        std::optional<std::string> refund_id;
    };
    Held h = rt_.db.read([&](db::Conn& c) {
        auto claim = repo_.find_refund_key(c, key);
        if (!claim) throw std::logic_error("pay_out: no claim for " + key);
        return Held{*repo_.find(c, claim->payment_id), claim->amount, claim->refund_id};
    });
    if (h.refund_id) return record_refund(key, "", also);  // recorded already: only `also`
    RefundResult r;
    try {
        r = provider_->refund(h.payment.provider_ref, h.amount, h.payment.currency, key);
    } catch (const std::exception& e) {
        log::warn("refund {} of payment {}: provider failed: {}", key, h.payment.id, e.what());
        r.ok = false;
    }
    if (!r.ok) {
        if (on_refusal == OnRefusal::Drop)
            rt_.db.write([&](db::Tx& tx) {
                if (repo_.drop_refund_key(tx, key))
                    repo_.unreserve_refund(tx, h.payment.id, h.amount, core::now_ms());
            });
        throw Error("provider_error", "the payment provider did not accept the refund; try again later");
    }
    crash_point("after_provider_refund");
    return record_refund(key, r.reference, also);
}

core::Answer PaymentService::refund(const std::optional<core::IdempotencyKey>& key, const std::string& payment_id,
                                    std::optional<std::int64_t> amount) {
    // The claim's own key, which the provider sees: one per refund asked for.
    const std::string claim = "refund:" + core::new_id("rq");
    std::optional<core::Answer> replay;
    try {
        replay = rt_.db.write([&](db::Tx& tx) -> std::optional<core::Answer> {
            if (key)
                if (auto stored = rt_.idempotency.claim(tx, *key)) return stored;
            auto p = repo_.find(tx, payment_id);
            if (!p) throw Error::not_found("no such payment");
            if (p->status != "succeeded" && p->status != "partially_refunded" && p->status != "refunded")
                throw Error("payment_not_refundable",
                            "only a succeeded payment can be refunded; this one is " + p->status);
            std::int64_t take = amount.value_or(p->amount - p->amount_refunded);
            if (take <= 0 || !repo_.reserve_refund(tx, p->id, take, core::now_ms()))
                throw Error("refund_exceeds_payment", fmt::format("at most {} of {} is left to refund",
                                                                  p->amount - p->amount_refunded, p->amount))
                    .with_field("refundable", p->amount - p->amount_refunded);
            repo_.claim_refund_key(tx, claim, p->id, take, core::now_ms());
            return std::nullopt;
        });
    } catch (const core::Idempotency::InProgress&) {
        return rt_.idempotency.await(*key);
    }
    if (replay) return std::move(*replay);
    core::Answer answer;
    try {
        pay_out(claim, OnRefusal::Drop, [&](db::Tx& tx, const Refund& refund) {
            answer = core::Answer{to_json(refund), true, ""};
            if (key) rt_.idempotency.complete(tx, *key, answer);
        });
    } catch (const Error&) {
        if (key) rt_.db.write([&](db::Tx& tx) { rt_.idempotency.abandon(tx, *key); });
        throw;
    }
    return answer;
}

// Both refunds the order module asks for go the same way: a claim under a key made from
// the order or the return, taken with the reservation of its amount in one transaction;
// the provider asked outside any, under that key; the record in a second. Whatever dies in
// between, the claim survives with its reservation, and the next call with the same key (or
// reconcile()) finishes the same refund: the provider answers with the refund it already
// made, and the claim's conditional settle records it exactly once.
std::int64_t PaymentService::refund_order_in_full(std::string_view order_id) {
    const std::string key = "cancel:" + std::string(order_id);
    std::optional<std::int64_t> held = rt_.db.write([&](db::Tx& tx) -> std::optional<std::int64_t> {
        if (auto claim = repo_.find_refund_key(tx, key)) return claim->amount;
        auto p = repo_.active_for_order(tx, std::string(order_id));
        if (!p || (p->status != "succeeded" && p->status != "partially_refunded")) return std::nullopt;
        std::int64_t left = p->amount - p->amount_refunded;
        if (left <= 0) return std::nullopt;
        if (!repo_.reserve_refund(tx, p->id, left, core::now_ms()))
            throw Error("refund_exceeds_payment", "the payment changed; try again");
        repo_.claim_refund_key(tx, key, p->id, left, core::now_ms());
        return left;
    });
    if (!held) return 0;
    return pay_out(key, OnRefusal::Drop).amount;
}

std::int64_t PaymentService::refund_for_return(std::string_view order_id, std::string_view return_id,
                                               std::int64_t amount) {
    if (amount < 0) throw std::invalid_argument("refund_for_return: a negative amount");
    const std::string key = "return:" + std::string(return_id);
    bool claimed = rt_.db.write([&](db::Tx& tx) {
        if (repo_.find_refund_key(tx, key)) return true;
        if (amount == 0) return false;
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
        return true;
    });
    if (!claimed) return 0;
    return pay_out(key, OnRefusal::Drop).amount;
}

nlohmann::json PaymentService::webhook(std::string_view signature_header, std::string_view body) {
    WebhookEvent e = provider_->parse_webhook(signature_header, body, core::now_ms() / 1000);
    bool duplicate = false;
    bool orphan = false;
    std::optional<Payment> settled;
    ChargeResult result;
    rt_.db.write([&](db::Tx& tx) {
        duplicate = !repo_.first_sighting(tx, e.id, core::now_ms());
        settled.reset();
        orphan = false;
        if (duplicate) return;
        auto p = repo_.find(tx, e.payment_id);
        if (!p) return;  // not ours (or long gone): acknowledged, nothing to do
        if (e.type == "payment.succeeded")
            result = {ChargeResult::Status::Succeeded, "", p->provider_ref};
        else if (e.type == "payment.failed")
            result = {ChargeResult::Status::Failed, "payment_failed", p->provider_ref};
        else
            return;
        if (record_charge(tx, *p, result, orphan)) settled = p;
    });
    if (settled) count(to_string(result.status));
    if (orphan) {
        try {
            pay_out("orphan:" + settled->id, OnRefusal::Keep);
        } catch (const Error& err) {
            log::warn("refund of orphan payment {}: {}", settled->id, err.what());
        }
    }
    return {{"received", true}, {"duplicate", duplicate}};
}

std::optional<Payment> PaymentService::find(const std::string& id) {
    return rt_.db.read([&](db::Conn& c) { return repo_.find(c, id); });
}

std::vector<Payment> PaymentService::for_order(const std::string& order_id) {
    return rt_.db.read([&](db::Conn& c) { return repo_.for_order(c, order_id); });
}

}  // namespace shop::payment
