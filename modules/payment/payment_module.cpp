#include "payment_module.hpp"

#include <algorithm>
#include <chrono>

#include "sandbox_provider.hpp"
#include "shop/core/log.hpp"

namespace shop::payment {

extern const std::string_view kOpenapi;

PaymentSettings read_payment_settings(core::Settings& settings) {
    PaymentSettings p;
    settings.read({
        core::Setting::text("payments.provider", "SHOPD_PAYMENT_PROVIDER", 1, 64, p.provider),
        core::Setting::text("payments.webhook_secret", "SHOPD_WEBHOOK_SECRET", 0, 4096, p.webhook_secret),
        core::Setting::integer("payments.reconcile_after_s", "SHOPD_RECONCILE_AFTER", 1, 86400, p.reconcile_after_s),
        core::Setting::text("payments.test_crash_at", "SHOPD_TEST_CRASH_AT", 0, 64, p.test_crash_at),
    });
    // A short HMAC key can be guessed offline from one signed webhook.
    if (!p.webhook_secret.empty() && p.webhook_secret.size() < 32)
        throw core::ConfigError("payments.webhook_secret (SHOPD_WEBHOOK_SECRET)", "must be at least 32 characters");
    return p;
}

std::unique_ptr<PaymentProvider> make_provider(const PaymentSettings& settings, db::Database& db) {
    if (settings.provider == "sandbox") return std::make_unique<SandboxProvider>(settings.webhook_secret, db);
    throw core::ConfigError("payments.provider (SHOPD_PAYMENT_PROVIDER)",
                            "unknown provider \"" + settings.provider + "\"; built in: sandbox");
}

PaymentModule::PaymentModule(Runtime& rt)
    : settings_(read_payment_settings(*rt.config.settings)),
      orders_(rt.interfaces.need<api::Orders>(name())),
      service_(rt, orders_, make_provider(settings_, rt.db),
               {std::chrono::seconds(settings_.reconcile_after_s), settings_.test_crash_at}),
      handlers_(rt.db, orders_, service_) {
    rt.interfaces.offer<api::Payments>(name(), service_);
}

void PaymentModule::routes(http::Routes& r) {
    using http::Context;
    // Payments are read by their payer or an admin; a key with orders:read reads as an admin.
    const http::Policy user_read{.auth = http::Auth::User, .scope = http::Scope::OrdersRead};
    const http::Policy admin_write{.auth = http::Auth::Admin, .rate = http::RateClass::Write,
                                   .scope = http::Scope::OrdersWrite};
    PaymentHandlers* h = &handlers_;

    // Each attempt calls the provider (card testing): the checkout class, lower than other writes.
    // A guest pays its order with the order's token (section 11).
    const http::Policy checkout{http::Auth::Optional, http::RateClass::Checkout};

    r.post("/api/v1/payments", checkout, [h](Context& ctx) { return h->pay(ctx); });
    r.get("/api/v1/payments/{id}", user_read, [h](Context& ctx) { return h->get(ctx); });
    r.get("/api/v1/orders/{id}/payments", user_read, [h](Context& ctx) { return h->for_order(ctx); });
    r.post("/api/v1/payments/{id}/refunds", admin_write, [h](Context& ctx) { return h->refund(ctx); });
    // Signed by the provider, not by a user: the signature check is the authentication.
    r.post("/api/v1/payments/webhook", {http::Auth::Public}, [h](Context& ctx) { return h->webhook(ctx); });
}

Tables PaymentModule::tables() const {
    return {{"payments", "refunds", "webhook_events", "refund_keys", "sandbox_charges", "sandbox_refunds"}, {}, {}};
}

std::string_view PaymentModule::openapi() const { return kOpenapi; }

void PaymentModule::jobs(core::Scheduler& scheduler) {
    // Often enough that nothing waits long past reconcile_after_s, rarely enough to cost nothing.
    auto every = std::min<std::chrono::milliseconds>(std::chrono::seconds(30),
                                                     std::chrono::seconds(settings_.reconcile_after_s));
    scheduler.every(every, [this] { service_.reconcile(); });
}

void PaymentModule::start() {
    if (settings_.webhook_secret.empty())
        log::warn("SHOPD_WEBHOOK_SECRET is not set: every payment webhook will be refused");
}

}  // namespace shop::payment
