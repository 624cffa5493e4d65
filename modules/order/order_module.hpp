#pragma once
// The order module: carts, checkout with stock reservation, the order state machine,
// expiry of unpaid orders (API.md section 5), and the Orders interface for payments.
#include "cart_service.hpp"
#include "money.hpp"
#include "order_service.hpp"
#include "shop/module.hpp"

namespace shop::order {

class OrderModule final : public Module {
public:
    OrderModule(Runtime& rt, api::Catalog& catalog, api::Inventory& inventory, api::Users& users);

    std::string_view name() const override { return "order"; }
    void migrations(db::Migrator& m) override;
    void routes(http::Routes& r) override;
    std::string_view openapi() const override;
    // The expiry sweep.
    void jobs(core::Scheduler& scheduler) override;

    api::Orders& orders() { return service_; }
    // Cancelling a paid order refunds it through the payment module, composed later.
    void set_payments(api::Payments& p) { service_.set_payments(&p); }

private:
    void order_routes(http::Routes& r);
    void cart_routes(http::Routes& r);
    Order visible_order(const http::Context& ctx);

    Runtime& rt_;
    OrderService service_;
    CartService carts_;
};

}  // namespace shop::order
