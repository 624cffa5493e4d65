#include "return_service.hpp"

#include <set>

#include <fmt/format.h>

#include "shop/core/error.hpp"
#include "shop/core/log.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"
#include "shop/events/order_events.hpp"

namespace shop::order {

namespace {
constexpr std::int64_t kDayMs = 86'400'000;

std::vector<events::ReturnLine> event_lines(const OrderReturn& r) {
    std::vector<events::ReturnLine> lines;
    for (const auto& i : r.items) lines.push_back({i.variant_id, i.quantity, i.refund_amount});
    return lines;
}

std::vector<api::StockLine> stock_lines(const OrderReturn& r) {
    std::vector<api::StockLine> lines;
    for (const auto& i : r.items) lines.push_back({i.variant_id, i.quantity});
    return lines;
}
}  // namespace

ReturnService::ReturnService(Runtime& rt, api::Inventory& inventory, Later<api::Payments> payments,
                             int return_window_days)
    : rt_(rt), inventory_(inventory), payments_(std::move(payments)), window_days_(return_window_days) {}

void ReturnService::invalid_transition(const OrderReturn& r, ReturnAction a) const {
    throw Error("invalid_transition", fmt::format("cannot {} a return that is {}", to_string(a), to_string(r.status)))
        .with_field("return_status", std::string(to_string(r.status)));
}

OrderReturn ReturnService::request(db::Tx& tx, const Order& seen, const ReturnRequest& req) {
    // The order as this transaction sees it: it may have moved since the caller read it.
    auto current = OrderRepository().find(tx, seen.id);
    if (!current) throw Error::not_found("no such order");
    const Order& o = *current;
    auto not_delivered = [&](Status s) {
        return Error("invalid_transition",
                     fmt::format("only a delivered order can be returned; this one is {}", to_string(s)))
            .with_field("order_status", std::string(to_string(s)));
    };
    if (o.status != Status::Delivered) throw not_delivered(o.status);
    // The order's row, held for the rest of this transaction: concurrent returns of one
    // order are checked one after the other.
    if (!returns_.hold_delivered_order(tx, o.id)) throw not_delivered(o.status);
    const std::int64_t now = core::now_ms();
    const std::int64_t delivered = returns_.delivered_at(tx, o.id).value_or(o.updated_at_ms);
    // Open while now < delivered + window: a window of 0 days closes at delivery.
    if (now >= delivered + static_cast<std::int64_t>(window_days_) * kDayMs)
        throw Error("return_window_closed",
                    fmt::format("returns are accepted for {} days after delivery; this order was delivered on {}",
                                window_days_, core::format_rfc3339(delivered)))
            .with_field("return_window_days", window_days_)
            .with_field("delivered_at", core::format_rfc3339(delivered));

    const bool on_top = tax_added_on_top(o);
    auto before = returns_.returned(tx, o.id);
    OrderReturn r;
    r.id = core::new_id("ret");
    r.order_id = o.id;
    r.user_id = o.user_id;
    r.reason = req.reason;
    r.currency = o.currency;
    r.created_at_ms = r.updated_at_ms = now;
    std::vector<FieldError> errors;
    for (std::size_t i = 0; i < req.items.size(); ++i) {
        const auto& l = req.items[i];
        const std::string at = fmt::format("items[{}]", i);
        auto line = std::find_if(o.items.begin(), o.items.end(),
                                 [&](const OrderItem& it) { return it.variant_id == l.variant_id; });
        if (line == o.items.end()) {
            errors.emplace_back(at + ".variant_id", "is not a line of this order");
            continue;
        }
        // Delivered means every unit of the line was delivered.
        const LineReturned taken = before[l.variant_id];
        const std::int64_t left = line->quantity - taken.units;
        if (l.quantity > left) {
            errors.emplace_back(at + ".quantity",
                                left > 0 ? fmt::format("at most {} of this line can still be returned", left)
                                         : std::string("every unit of this line is already in a return"));
            continue;
        }
        std::int64_t refund = units_refund(line_paid(*line, on_top), line->quantity, taken, l.quantity);
        r.items.push_back({l.variant_id, line->product_id, l.quantity, refund});
        r.refund_amount += refund;  // at most the order's total: no overflow
    }
    if (!errors.empty()) throw Error::validation(std::move(errors));
    returns_.insert(tx, r);
    tx.emit(events::ReturnRequested{r.id, r.order_id, r.user_id, r.refund_amount, r.currency, event_lines(r)});
    return r;
}

OrderReturn ReturnService::receive(const std::string& id, bool restock) {
    // A concurrent reject or receive can change the return under us: look again.
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto r = find(id);
        if (!r) throw Error::not_found("no such return");
        if (r->status == ReturnStatus::Received) return *r;  // done before: nothing more refunded
        if (!next_return_status(r->status, ReturnAction::Receive)) invalid_transition(*r, ReturnAction::Receive);
        if (!payments_.resolved())
            throw Error("payments_unavailable", "payments are not configured").with_retry_after(5);
        // Marked before the money moves, so a reject cannot land between the refund and
        // its record; the mark survives a crash, and receiving again finishes the job.
        if (!rt_.db.write([&](db::Tx& tx) { return returns_.begin_receive(tx, id, core::now_ms()); })) continue;
        std::int64_t refunded = 0;
        try {
            refunded = payments_->refund_for_return(r->order_id, r->id, r->refund_amount);
        } catch (...) {
            // Nothing was refunded for the return: it stays requested, and may be rejected.
            rt_.db.write([&](db::Tx& tx) { returns_.end_receive(tx, id); });
            throw;
        }
        bool done = rt_.db.write([&](db::Tx& tx) {
            if (!returns_.finish_receive(tx, id, restock, core::now_ms())) return false;
            if (restock) inventory_.release(tx, stock_lines(*r));
            tx.emit(events::ReturnReceived{r->id, r->order_id, r->user_id, refunded, r->currency, restock,
                                           event_lines(*r)});
            return true;
        });
        auto now = find(id);
        // Not done: a concurrent receive recorded it first (with its own restock choice).
        if (!done && now->status != ReturnStatus::Received)
            log::error("return {} was refunded {} but is {}", id, refunded, to_string(now->status));
        return *now;
    }
    throw Error("invalid_transition", "the return changed while receiving it; try again");
}

OrderReturn ReturnService::reject(const std::string& id) {
    auto r = find(id);
    if (!r) throw Error::not_found("no such return");
    if (!next_return_status(r->status, ReturnAction::Reject)) invalid_transition(*r, ReturnAction::Reject);
    bool done = rt_.db.write([&](db::Tx& tx) {
        if (!returns_.reject(tx, id, core::now_ms())) return false;
        tx.emit(events::ReturnRejected{r->id, r->order_id, r->user_id});
        return true;
    });
    auto now = find(id);
    if (!done && now->status == ReturnStatus::Requested)
        throw Error("invalid_transition", "the return is being received and refunded; it cannot be rejected")
            .with_field("return_status", std::string(to_string(now->status)));
    if (!done) invalid_transition(*now, ReturnAction::Reject);
    return *now;
}

std::optional<OrderReturn> ReturnService::find(const std::string& id) {
    return rt_.db.read([&](db::Conn& c) { return returns_.find(c, id); });
}

std::vector<OrderReturn> ReturnService::list(const ReturnFilter& f, const std::optional<ListKey>& after, int limit) {
    return rt_.db.read([&](db::Conn& c) { return returns_.list(c, f, after, limit); });
}

}  // namespace shop::order
