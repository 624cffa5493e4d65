#pragma once
// The payment module: charges through a provider, refunds, signed webhooks (API.md
// section 6), and the Payments interface the order module uses to refund a cancelled order.
#include <memory>

#include "payment_handlers.hpp"
#include "payment_service.hpp"
#include "shop/module.hpp"

namespace shop::payment {

// The payment module's settings: the `payments` section and its SHOPD_* variables.
struct PaymentSettings {
    std::string provider = "sandbox";
    std::string webhook_secret;  // empty: every webhook is refused
    // A payment still processing, or a refund claimed but not recorded, this long after it
    // was last touched is settled with the provider (reconcile.cpp).
    std::int64_t reconcile_after_s = 120;
    // Tests only: the named point kills the process (see PaymentService::Options).
    std::string test_crash_at;
};
// ConfigError for a bad value.
PaymentSettings read_payment_settings(core::Settings& settings);

class PaymentModule final : public Module {
public:
    // Reads the payments settings (ConfigError for a bad one or an unknown provider),
    // needs orders, offers payments.
    explicit PaymentModule(Runtime& rt);

    std::string_view name() const override { return "payment"; }
    void migrations(db::Migrator& m) override;
    Tables tables() const override;
    void routes(http::Routes& r) override;
    std::string_view openapi() const override;
    void jobs(core::Scheduler& scheduler) override;
    void start() override;

    api::Payments& payments() { return service_; }

private:
    const PaymentSettings settings_;
    api::Orders& orders_;
    PaymentService service_;
    PaymentHandlers handlers_;
};

// The provider named by payments.provider; a ConfigError for an unknown one.
// `db` holds the sandbox provider's own books.
std::unique_ptr<PaymentProvider> make_provider(const PaymentSettings& settings, db::Database& db);

}  // namespace shop::payment
