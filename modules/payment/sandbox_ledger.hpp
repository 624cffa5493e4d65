#pragma once
// The sandbox provider's own books: every charge and refund it made, kept in tables of its
// own (sandbox_charges, sandbox_refunds) as a real provider keeps them on its side. They
// survive a restart of shopd, which is what lets reconciliation be tested for real: a
// process killed between the provider's answer and shopd's record finds, on the next
// start, the charge or refund the sandbox made. Only the sandbox provider reads them.
#include <cstdint>
#include <optional>
#include <string>

#include "provider.hpp"
#include "shop/db/database.hpp"

namespace shop::payment {

class SandboxLedger {
public:
    explicit SandboxLedger(db::Database& db) : db_(db) {}
    // Records `outcome` for the payment id unless a charge is there already; returns the
    // one recorded first, as a provider answers a repeated idempotent request.
    ChargeResult charge(const std::string& payment_id, const ChargeResult& outcome);
    std::optional<ChargeResult> find_charge(const std::string& payment_id);
    // Likewise for a refund under its idempotency key.
    RefundResult refund(const std::string& key, std::int64_t amount, const std::string& reference);
    std::optional<RefundResult> find_refund(const std::string& key);

private:
    db::Database& db_;
};

}  // namespace shop::payment
