#include "sandbox_ledger.hpp"

#include "shop/core/time.hpp"

namespace shop::payment {

namespace {
ChargeResult::Status from_text(const std::string& s) {
    if (s == "succeeded") return ChargeResult::Status::Succeeded;
    if (s == "failed") return ChargeResult::Status::Failed;
    return ChargeResult::Status::Processing;
}

std::optional<ChargeResult> read_charge(db::Conn& c, const std::string& payment_id) {
    auto row = c.query_one("SELECT status, failure_code, reference FROM sandbox_charges WHERE payment_id = ?",
                           payment_id);
    if (!row) return std::nullopt;
    return ChargeResult{from_text(row->str(0)), row->opt_str(1).value_or(""), row->str(2)};
}

std::optional<RefundResult> read_refund(db::Conn& c, const std::string& key) {
    auto row = c.query_one("SELECT reference FROM sandbox_refunds WHERE idempotency_key = ?", key);
    if (!row) return std::nullopt;
    return RefundResult{true, "", row->str(0)};
}
}  // namespace

ChargeResult SandboxLedger::charge(const std::string& payment_id, const ChargeResult& outcome) {
    return db_.write([&](db::Tx& tx) {
        std::optional<std::string> failure;
        if (!outcome.failure_code.empty()) failure = outcome.failure_code;
        tx.exec("INSERT INTO sandbox_charges(payment_id, status, failure_code, reference, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (payment_id) DO NOTHING",
                payment_id, to_string(outcome.status), failure, outcome.reference, core::now_ms());
        return *read_charge(tx, payment_id);
    });
}

std::optional<ChargeResult> SandboxLedger::find_charge(const std::string& payment_id) {
    return db_.read([&](db::Conn& c) { return read_charge(c, payment_id); });
}

RefundResult SandboxLedger::refund(const std::string& key, std::int64_t amount, const std::string& reference) {
    return db_.write([&](db::Tx& tx) {
        tx.exec("INSERT INTO sandbox_refunds(idempotency_key, amount, reference, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (idempotency_key) DO NOTHING",
                key, amount, reference, core::now_ms());
        return *read_refund(tx, key);
    });
}

std::optional<RefundResult> SandboxLedger::find_refund(const std::string& key) {
    return db_.read([&](db::Conn& c) { return read_refund(c, key); });
}

}  // namespace shop::payment
