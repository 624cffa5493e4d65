#include "payment_module.hpp"

#include "sandbox_provider.hpp"
#include "shop/core/log.hpp"

namespace shop::payment {

extern const std::string_view kOpenapi;

std::unique_ptr<PaymentProvider> make_provider(const core::Config& config) {
    if (config.payments.provider == "sandbox") return std::make_unique<SandboxProvider>(config.payments.webhook_secret);
    throw core::ConfigError("payments.provider (SHOPD_PAYMENT_PROVIDER)",
                            "unknown provider \"" + config.payments.provider + "\"; built in: sandbox");
}

PaymentModule::PaymentModule(Runtime& rt, api::Orders& orders)
    : rt_(rt), orders_(orders), service_(rt, orders, make_provider(rt.config)) {}

std::string_view PaymentModule::openapi() const { return kOpenapi; }

void PaymentModule::start() {
    if (rt_.config.payments.webhook_secret.empty())
        log::warn("SHOPD_WEBHOOK_SECRET is not set: every payment webhook will be refused");
}

}  // namespace shop::payment
