#pragma once
// The payment module: charges through a provider, refunds, signed webhooks (API.md
// section 6), and the Payments interface the order module uses to refund a cancelled order.
#include <memory>

#include "payment_service.hpp"
#include "shop/module.hpp"

namespace shop::payment {

class PaymentModule final : public Module {
public:
    PaymentModule(Runtime& rt, api::Orders& orders);

    std::string_view name() const override { return "payment"; }
    void migrations(db::Migrator& m) override;
    void routes(http::Routes& r) override;
    std::string_view openapi() const override;
    void start() override;

    api::Payments& payments() { return service_; }

private:
    Runtime& rt_;
    api::Orders& orders_;
    PaymentService service_;
};

// The provider named by payments.provider; a ConfigError for an unknown one.
std::unique_ptr<PaymentProvider> make_provider(const core::Config& config);

}  // namespace shop::payment
