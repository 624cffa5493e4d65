#pragma once
// Every SQL statement about payments, refunds and seen webhook events.
#include <optional>
#include <string>
#include <vector>

#include "payment.hpp"
#include "shop/db/database.hpp"

namespace shop::payment {

class PaymentRepository {
public:
    void insert(db::Tx& tx, const Payment& p);
    std::optional<Payment> find(db::Conn& c, const std::string& id);
    std::vector<Payment> for_order(db::Conn& c, const std::string& order_id);
    // A payment of the order that is processing or has succeeded (refunded or not).
    std::optional<Payment> active_for_order(db::Conn& c, const std::string& order_id);
    // Payments of the order the provider declined.
    std::int64_t failed_for_order(db::Conn& c, const std::string& order_id);
    // processing -> succeeded | failed; false when it was no longer processing.
    bool settle(db::Tx& tx, const std::string& id, const std::string& status,
                const std::optional<std::string>& failure_code, const std::string& provider_ref, std::int64_t now);
    // Takes `amount` off what is left to refund, only if that leaves it within the amount
    // paid: the guard against refunding more than was paid, even concurrently.
    bool reserve_refund(db::Tx& tx, const std::string& id, std::int64_t amount, std::int64_t now);
    void unreserve_refund(db::Tx& tx, const std::string& id, std::int64_t amount, std::int64_t now);
    void insert_refund(db::Tx& tx, const Refund& r, const std::string& provider_ref);
    // Keyed refunds (a return's): the claim on a key, taken with the reservation of its
    // amount, and settled with the refund it became. A claim without refund_id is a refund
    // in progress, or in doubt after a crash: its key finishes it.
    struct RefundKey {
        std::string payment_id;
        std::int64_t amount = 0;
        std::optional<std::string> refund_id;
    };
    std::optional<RefundKey> find_refund_key(db::Conn& c, const std::string& key);
    // False when the key is claimed already.
    bool claim_refund_key(db::Tx& tx, const std::string& key, const std::string& payment_id, std::int64_t amount,
                          std::int64_t now);
    // Names the refund the claim became; false when it already has one (or is gone).
    bool settle_refund_key(db::Tx& tx, const std::string& key, const std::string& refund_id);
    // Drops an unsettled claim after the provider refused; false when there was none.
    bool drop_refund_key(db::Tx& tx, const std::string& key);
    // The refund a settled claim names.
    std::optional<Refund> find_refund(db::Conn& c, const std::string& refund_id);

    // Reconciliation: payments still `processing`, and claims with no refund yet, that
    // have not changed since `before_ms`; oldest first, at most `limit`.
    std::vector<Payment> processing_before(db::Conn& c, std::int64_t before_ms, std::int64_t limit);
    std::vector<std::string> open_refund_keys_before(db::Conn& c, std::int64_t before_ms, std::int64_t limit);

    // True the first time an event id is seen.
    bool first_sighting(db::Tx& tx, const std::string& event_id, std::int64_t now);
};

}  // namespace shop::payment
