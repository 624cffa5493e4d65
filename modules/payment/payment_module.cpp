#include "payment_module.hpp"

#include "sandbox_provider.hpp"
#include "shop/core/log.hpp"

namespace shop::payment {

extern const std::string_view kOpenapi;

PaymentSettings read_payment_settings(core::Settings& settings) {
    PaymentSettings p;
    settings.read({
        core::Setting::text("payments.provider", "SHOPD_PAYMENT_PROVIDER", 1, 64, p.provider),
        core::Setting::text("payments.webhook_secret", "SHOPD_WEBHOOK_SECRET", 0, 4096, p.webhook_secret),
    });
    return p;
}

std::unique_ptr<PaymentProvider> make_provider(const PaymentSettings& settings) {
    if (settings.provider == "sandbox") return std::make_unique<SandboxProvider>(settings.webhook_secret);
    throw core::ConfigError("payments.provider (SHOPD_PAYMENT_PROVIDER)",
                            "unknown provider \"" + settings.provider + "\"; built in: sandbox");
}

PaymentModule::PaymentModule(Runtime& rt)
    : rt_(rt),
      settings_(read_payment_settings(*rt.config.settings)),
      orders_(rt.interfaces.need<api::Orders>(name())),
      service_(rt, orders_, make_provider(settings_)) {
    rt.interfaces.offer<api::Payments>(name(), service_);
}

Tables PaymentModule::tables() const {
    return {{"payments", "refunds", "webhook_events"}, {}, {}};
}

std::string_view PaymentModule::openapi() const { return kOpenapi; }

void PaymentModule::start() {
    if (settings_.webhook_secret.empty())
        log::warn("SHOPD_WEBHOOK_SECRET is not set: every payment webhook will be refused");
}

}  // namespace shop::payment
