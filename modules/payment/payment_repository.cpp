#include "payment_repository.hpp"

namespace shop::payment {

namespace {
constexpr const char* kColumns =
    "SELECT id, order_id, user_id, amount, currency, status, failure_code, card_brand, card_last4, amount_refunded, "
    "provider_ref, created_at, updated_at FROM payments ";

Payment from_row(const db::Row& r) {
    Payment p;
    p.id = r.str(0);
    p.order_id = r.str(1);
    p.user_id = r.str(2);
    p.amount = r.i64(3);
    p.currency = r.str(4);
    p.status = r.str(5);
    p.failure_code = r.opt_str(6);
    p.card_brand = r.str(7);
    p.card_last4 = r.str(8);
    p.amount_refunded = r.i64(9);
    p.provider_ref = r.str(10);
    p.created_at_ms = r.i64(11);
    p.updated_at_ms = r.i64(12);
    return p;
}
}  // namespace

void PaymentRepository::insert(db::Tx& tx, const Payment& p) {
    tx.exec(
        "INSERT INTO payments(id, order_id, user_id, amount, currency, status, failure_code, card_brand, card_last4, "
        "amount_refunded, provider_ref, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.id, p.order_id, p.user_id, p.amount, p.currency, p.status, p.failure_code, p.card_brand, p.card_last4,
        p.amount_refunded, p.provider_ref, p.created_at_ms, p.updated_at_ms);
}

std::optional<Payment> PaymentRepository::find(db::Conn& c, const std::string& id) {
    auto row = c.query_one(std::string(kColumns) + "WHERE id = ?", id);
    if (!row) return std::nullopt;
    return from_row(*row);
}

std::vector<Payment> PaymentRepository::for_order(db::Conn& c, const std::string& order_id) {
    std::vector<Payment> out;
    for (const auto& r : c.query(std::string(kColumns) + "WHERE order_id = ? ORDER BY created_at, id", order_id))
        out.push_back(from_row(r));
    return out;
}

std::int64_t PaymentRepository::failed_for_order(db::Conn& c, const std::string& order_id) {
    return c.query_one("SELECT COUNT(*) FROM payments WHERE order_id = ? AND status = 'failed'", order_id)->i64(0);
}

std::optional<Payment> PaymentRepository::active_for_order(db::Conn& c, const std::string& order_id) {
    auto row = c.query_one(std::string(kColumns) + "WHERE order_id = ? AND status <> 'failed'", order_id);
    if (!row) return std::nullopt;
    return from_row(*row);
}

bool PaymentRepository::settle(db::Tx& tx, const std::string& id, const std::string& status,
                               const std::optional<std::string>& failure_code, const std::string& provider_ref,
                               std::int64_t now) {
    return tx.exec("UPDATE payments SET status = ?, failure_code = ?, provider_ref = ?, updated_at = ? "
                   "WHERE id = ? AND status = 'processing'",
                   status, failure_code, provider_ref, now, id) == 1;
}

bool PaymentRepository::reserve_refund(db::Tx& tx, const std::string& id, std::int64_t amount, std::int64_t now) {
    return tx.exec("UPDATE payments SET amount_refunded = amount_refunded + ?, "
                   "status = CASE WHEN amount_refunded + ? >= amount THEN 'refunded' ELSE 'partially_refunded' END, "
                   "updated_at = ? "
                   "WHERE id = ? AND status IN ('succeeded', 'partially_refunded') AND amount_refunded + ? <= amount",
                   amount, amount, now, id, amount) == 1;
}

void PaymentRepository::unreserve_refund(db::Tx& tx, const std::string& id, std::int64_t amount, std::int64_t now) {
    tx.exec("UPDATE payments SET amount_refunded = amount_refunded - ?, "
            "status = CASE WHEN amount_refunded - ? > 0 THEN 'partially_refunded' ELSE 'succeeded' END, "
            "updated_at = ? WHERE id = ?",
            amount, amount, now, id);
}

void PaymentRepository::insert_refund(db::Tx& tx, const Refund& r, const std::string& provider_ref) {
    tx.exec("INSERT INTO refunds(id, payment_id, amount, provider_ref, created_at) VALUES (?, ?, ?, ?, ?)", r.id,
            r.payment_id, r.amount, provider_ref, r.created_at_ms);
}

std::optional<PaymentRepository::RefundKey> PaymentRepository::find_refund_key(db::Conn& c, const std::string& key) {
    auto row = c.query_one("SELECT payment_id, amount, refund_id FROM refund_keys WHERE idempotency_key = ?", key);
    if (!row) return std::nullopt;
    return RefundKey{row->str(0), row->i64(1), row->opt_str(2)};
}

bool PaymentRepository::claim_refund_key(db::Tx& tx, const std::string& key, const std::string& payment_id,
                                         std::int64_t amount, std::int64_t now) {
    return tx.exec("INSERT INTO refund_keys(idempotency_key, payment_id, amount, created_at) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (idempotency_key) DO NOTHING",
                   key, payment_id, amount, now) == 1;
}

bool PaymentRepository::settle_refund_key(db::Tx& tx, const std::string& key, const std::string& refund_id) {
    return tx.exec("UPDATE refund_keys SET refund_id = ? WHERE idempotency_key = ? AND refund_id IS NULL", refund_id,
                   key) == 1;
}

bool PaymentRepository::drop_refund_key(db::Tx& tx, const std::string& key) {
    return tx.exec("DELETE FROM refund_keys WHERE idempotency_key = ? AND refund_id IS NULL", key) == 1;
}

std::optional<Refund> PaymentRepository::find_refund(db::Conn& c, const std::string& refund_id) {
    auto row = c.query_one(
        "SELECT r.id, r.payment_id, r.amount, p.currency, r.created_at FROM refunds r "
        "JOIN payments p ON p.id = r.payment_id WHERE r.id = ?",
        refund_id);
    if (!row) return std::nullopt;
    return Refund{row->str(0), row->str(1), row->i64(2), row->str(3), row->i64(4)};
}

std::vector<Payment> PaymentRepository::processing_before(db::Conn& c, std::int64_t before_ms, std::int64_t limit) {
    std::vector<Payment> out;
    for (const auto& r : c.query(std::string(kColumns) +
                                     "WHERE status = 'processing' AND updated_at < ? ORDER BY updated_at LIMIT ?",
                                 before_ms, limit))
        out.push_back(from_row(r));
    return out;
}

std::vector<std::string> PaymentRepository::open_refund_keys_before(db::Conn& c, std::int64_t before_ms,
                                                                    std::int64_t limit) {
    std::vector<std::string> out;
    for (const auto& r : c.query("SELECT idempotency_key FROM refund_keys WHERE refund_id IS NULL AND created_at < ? "
                                 "ORDER BY created_at LIMIT ?",
                                 before_ms, limit))
        out.push_back(r.str(0));
    return out;
}

bool PaymentRepository::first_sighting(db::Tx& tx, const std::string& event_id, std::int64_t now) {
    return tx.exec("INSERT INTO webhook_events(id, received_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", event_id,
                   now) == 1;
}

}  // namespace shop::payment
