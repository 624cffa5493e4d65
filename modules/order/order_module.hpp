#pragma once
// The order module: carts, checkout with stock reservation, the order state machine,
// expiry of unpaid orders (API.md section 5), and the Orders interface for payments.
#include "cart_service.hpp"
#include "checkout_admin_handlers.hpp"
#include "money.hpp"
#include "order_handlers.hpp"
#include "order_service.hpp"
#include "return_handlers.hpp"
#include "return_service.hpp"
#include "shop/events/projection.hpp"
#include "shop/module.hpp"

namespace shop::order {

class OrderModule final : public Module {
public:
    // Needs catalog, inventory and users; payments later (cancelling a paid order refunds
    // it). Offers orders.
    explicit OrderModule(Runtime& rt);

    std::string_view name() const override { return "order"; }
    void migrations(db::Migrator& m) override;
    Tables tables() const override;
    void routes(http::Routes& r) override;
    std::string_view openapi() const override;
    void subscribe(events::EventBus& bus) override;
    // Catches the guest-order claims up with registrations the log holds; under --demo,
    // adds the discount code WELCOME10 to a shop with none.
    void start() override;
    // The expiry sweep.
    void jobs(core::Scheduler& scheduler) override;

    OrderService& orders() { return service_; }

private:
    void settings_routes(http::Routes& r);
    void return_routes(http::Routes& r);

    OrderService service_;
    CartService carts_;
    OrderHandlers order_handlers_;
    CartHandlers cart_handlers_;
    // Shipping zones, tax rates and discount codes (section 10, admin routes).
    CheckoutAdminService checkout_admin_;
    CheckoutAdminHandlers checkout_admin_handlers_;
    // Returns of delivered orders (section 11).
    ReturnService returns_;
    ReturnHandlers return_handlers_;
    // Guest orders join the account registered with their e-mail.
    db::Database& db_;
    const bool demo_;  // --demo: add the code WELCOME10 at start (demo_checkout.hpp)
    events::EventFeed feed_;
    events::Projection guest_claims_;
};

}  // namespace shop::order
