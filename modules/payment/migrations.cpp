#include "payment_module.hpp"

namespace shop::payment {

void PaymentModule::migrations(db::Migrator& m) {
    // payments_one_live_per_order: at most one payment per order that is not `failed`, so
    // the database itself refuses a second success whatever races happen above it.
    m.add("payment", 1,
          "CREATE TABLE payments ( id TEXT PRIMARY KEY,"
          " order_id TEXT NOT NULL,"
          " user_id TEXT NOT NULL,"
          " amount INTEGER NOT NULL CHECK (amount >= 0),"
          " currency TEXT NOT NULL,"
          " status TEXT NOT NULL,"
          " failure_code TEXT,"
          " card_brand TEXT NOT NULL,"
          " card_last4 TEXT NOT NULL,"
          " amount_refunded INTEGER NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0 AND amount_refunded <= amount),"
          " provider_ref TEXT NOT NULL,"
          " created_at INTEGER NOT NULL,"
          " updated_at INTEGER NOT NULL);"
          "CREATE UNIQUE INDEX payments_one_live_per_order ON payments(order_id) WHERE status <> 'failed';"
          "CREATE INDEX payments_order ON payments(order_id,"
          " created_at);"
          "CREATE TABLE refunds ( id TEXT PRIMARY KEY,"
          " payment_id TEXT NOT NULL REFERENCES payments(id),"
          " amount INTEGER NOT NULL CHECK (amount > 0),"
          " provider_ref TEXT NOT NULL,"
          " created_at INTEGER NOT NULL);"
          "CREATE INDEX refunds_payment ON refunds(payment_id);"
          "CREATE TABLE webhook_events (id TEXT PRIMARY KEY,"
          " received_at INTEGER NOT NULL);",
          "CREATE TABLE payments ( id TEXT PRIMARY KEY,"
          " order_id TEXT NOT NULL,"
          " user_id TEXT NOT NULL,"
          " amount BIGINT NOT NULL CHECK (amount >= 0),"
          " currency TEXT NOT NULL,"
          " status TEXT NOT NULL,"
          " failure_code TEXT,"
          " card_brand TEXT NOT NULL,"
          " card_last4 TEXT NOT NULL,"
          " amount_refunded BIGINT NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0 AND amount_refunded <= amount),"
          " provider_ref TEXT NOT NULL,"
          " created_at BIGINT NOT NULL,"
          " updated_at BIGINT NOT NULL);"
          "CREATE UNIQUE INDEX payments_one_live_per_order ON payments(order_id) WHERE status <> 'failed';"
          "CREATE INDEX payments_order ON payments(order_id,"
          " created_at);"
          "CREATE TABLE refunds ( id TEXT PRIMARY KEY,"
          " payment_id TEXT NOT NULL REFERENCES payments(id),"
          " amount BIGINT NOT NULL CHECK (amount > 0),"
          " provider_ref TEXT NOT NULL,"
          " created_at BIGINT NOT NULL);"
          "CREATE INDEX refunds_payment ON refunds(payment_id);"
          "CREATE TABLE webhook_events (id TEXT PRIMARY KEY,"
          " received_at BIGINT NOT NULL);");
    // Keyed refunds (a return's, API.md section 11): the claim on a key is taken in the
    // transaction that reserves its amount, and names its refund once recorded. A retry
    // after a crash between the provider's answer and that record finds the claim and asks
    // the provider again under the same key, which answers with the same refund: one
    // payout, recorded once. The key is the primary key, so two claims cannot both win.
    const auto refund_keys = [](const std::string& big) {
        return "CREATE TABLE refund_keys ("
               " idempotency_key TEXT PRIMARY KEY,"
               " payment_id TEXT NOT NULL,"
               " amount " + big + " NOT NULL CHECK (amount > 0),"
               " refund_id TEXT,"
               " created_at " + big + " NOT NULL);"
               "CREATE INDEX refund_keys_payment ON refund_keys(payment_id);";
    };
    m.add("payment", 2, refund_keys("INTEGER"), refund_keys("BIGINT"));
    // Reconciliation (reconciler.hpp) looks for payments left processing and claims left
    // without their refund: partial indexes keep that a scan of the few such rows. The
    // sandbox provider's own books (sandbox_ledger.hpp) live here too, as a real provider
    // keeps them on its side, so what it did survives a restart of shopd.
    const auto reconcile = [](const std::string& big) {
        return "CREATE INDEX payments_processing ON payments(updated_at) WHERE status = 'processing';"
               "CREATE INDEX refund_keys_open ON refund_keys(created_at) WHERE refund_id IS NULL;"
               "CREATE TABLE sandbox_charges (payment_id TEXT PRIMARY KEY,"
               " status TEXT NOT NULL,"
               " failure_code TEXT,"
               " reference TEXT NOT NULL,"
               " created_at " + big + " NOT NULL);"
               "CREATE TABLE sandbox_refunds (idempotency_key TEXT PRIMARY KEY,"
               " amount " + big + " NOT NULL,"
               " reference TEXT NOT NULL,"
               " created_at " + big + " NOT NULL);";
    };
    m.add("payment", 3, reconcile("INTEGER"), reconcile("BIGINT"));
}

}  // namespace shop::payment
