#include "order_module.hpp"

#include "demo_checkout.hpp"
#include "shop/core/log.hpp"

#include "shop/events/user_events.hpp"

namespace shop::order {

extern const std::string_view kOpenapi;

OrderModule::OrderModule(Runtime& rt)
    : service_(rt, rt.interfaces.need<api::Catalog>(name()), rt.interfaces.need<api::Inventory>(name()),
               rt.interfaces.need<api::Users>(name()), rt.interfaces.need_later<api::Payments>(name()),
               read_order_settings(*rt.config.settings)),
      carts_(rt.db, rt.interfaces.need<api::Catalog>(name()), rt.config.shop.currency),
      order_handlers_(rt.idempotency, service_),
      cart_handlers_(carts_),
      checkout_admin_(rt.db, rt.interfaces.need<api::Catalog>(name())),
      checkout_admin_handlers_(checkout_admin_, rt.config.shop.currency),
      returns_(rt, rt.interfaces.need<api::Inventory>(name()), rt.interfaces.need_later<api::Payments>(name()),
               service_.settings().return_window_days),
      return_handlers_(rt.idempotency, service_, returns_),
      db_(rt.db),
      demo_(rt.config.demo),
      guest_claims_{"order.guest_claims",
                    {std::string(events::UserRegistered::kType)},
                    [this](db::Tx& tx, const events::Event& e) { service_.claim_guest_orders(tx, e); }} {
    rt.interfaces.offer<api::Orders>(name(), service_);
}

Tables OrderModule::tables() const {
    return {{"orders", "order_items", "shipments", "shipment_items", "cart_items", "shipping_zones",
             "shipping_zone_countries", "shipping_rates", "tax_rates", "discounts", "discount_uses", "returns",
             "return_items"},
            {},
            {}};
}

void OrderModule::routes(http::Routes& r) {
    using http::Context;
    using http::Auth;
    using http::RateClass;
    using http::Scope;
    const http::Policy user_read{Auth::User};
    const http::Policy user_write{Auth::User, RateClass::Write};
    const http::Policy admin_write{.auth = Auth::Admin, .rate = RateClass::Write, .scope = Scope::OrdersWrite};
    // Admin-or-owner routes: a key holding the scope acts as an admin there (API.md section 12).
    const http::Policy orders_read{.auth = Auth::User, .scope = Scope::OrdersRead};
    const http::Policy order_read{.auth = Auth::Optional, .scope = Scope::OrdersRead};
    const http::Policy order_cancel{.auth = Auth::Optional, .rate = RateClass::Write, .scope = Scope::OrdersWrite};
    OrderHandlers* o = &order_handlers_;
    CartHandlers* c = &cart_handlers_;

    // Each order holds stock for the order TTL: a class of its own, lower than other writes.
    // Guests (no token) may quote, order, and with their order token read, pay and cancel
    // that order (section 11); a bad bearer token is still 401.
    const http::Policy checkout{Auth::Optional, RateClass::Checkout};
    r.post("/api/v1/orders", checkout, [o](Context& ctx) { return o->create(ctx); });
    // A quote reserves nothing, but prices a whole order: the checkout class too.
    r.post("/api/v1/checkout/quote", checkout, [o](Context& ctx) { return o->quote(ctx); });
    r.get("/api/v1/orders", orders_read, [o](Context& ctx) { return o->list(ctx); });
    r.get("/api/v1/orders/{id}", order_read, [o](Context& ctx) { return o->get(ctx); });
    r.post("/api/v1/orders/{id}/cancel", order_cancel, [o](Context& ctx) { return o->cancel(ctx); });
    r.post("/api/v1/orders/{id}/ship", admin_write, [o](Context& ctx) { return o->ship(ctx); });
    r.post("/api/v1/orders/{id}/shipments", admin_write, [o](Context& ctx) { return o->create_shipment(ctx); });
    r.post("/api/v1/orders/{id}/deliver", admin_write, [o](Context& ctx) { return o->deliver(ctx); });

    r.get("/api/v1/cart", user_read, [c](Context& ctx) { return c->view(ctx); });
    r.put("/api/v1/cart/items/{id}", user_write, [c](Context& ctx) { return c->put_item(ctx); });
    r.del("/api/v1/cart/items/{id}", user_write, [c](Context& ctx) { return c->remove_item(ctx); });
    r.del("/api/v1/cart", user_write, [c](Context& ctx) { return c->clear(ctx); });

    settings_routes(r);
    return_routes(r);
}

// Checkout settings (section 10): admins only, reads and writes alike. An API key needs
// settings:write for the reads too: there is no settings:read scope (API.md section 12).
void OrderModule::settings_routes(http::Routes& r) {
    using http::Context;
    using http::Scope;
    const http::Policy read{.auth = http::Auth::Admin, .scope = Scope::SettingsWrite};
    const http::Policy write{.auth = http::Auth::Admin, .rate = http::RateClass::Write, .scope = Scope::SettingsWrite};
    CheckoutAdminHandlers* h = &checkout_admin_handlers_;

    r.get("/api/v1/shipping/zones", read, [h](Context& ctx) { return h->list_zones(ctx); });
    r.post("/api/v1/shipping/zones", write, [h](Context& ctx) { return h->create_zone(ctx); });
    r.get("/api/v1/shipping/zones/{id}", read, [h](Context& ctx) { return h->get_zone(ctx); });
    r.patch("/api/v1/shipping/zones/{id}", write, [h](Context& ctx) { return h->update_zone(ctx); });
    r.del("/api/v1/shipping/zones/{id}", write, [h](Context& ctx) { return h->remove_zone(ctx); });
    r.post("/api/v1/shipping/zones/{id}/rates", write, [h](Context& ctx) { return h->add_rate(ctx); });
    r.patch("/api/v1/shipping/zones/{id}/rates/{rate_id}", write, [h](Context& ctx) { return h->update_rate(ctx); });
    r.del("/api/v1/shipping/zones/{id}/rates/{rate_id}", write, [h](Context& ctx) { return h->remove_rate(ctx); });

    r.get("/api/v1/tax/rates", read, [h](Context& ctx) { return h->list_tax_rates(ctx); });
    r.post("/api/v1/tax/rates", write, [h](Context& ctx) { return h->create_tax_rate(ctx); });
    r.get("/api/v1/tax/rates/{id}", read, [h](Context& ctx) { return h->get_tax_rate(ctx); });
    r.patch("/api/v1/tax/rates/{id}", write, [h](Context& ctx) { return h->update_tax_rate(ctx); });
    r.del("/api/v1/tax/rates/{id}", write, [h](Context& ctx) { return h->remove_tax_rate(ctx); });

    r.get("/api/v1/discounts", read, [h](Context& ctx) { return h->list_discounts(ctx); });
    r.post("/api/v1/discounts", write, [h](Context& ctx) { return h->create_discount(ctx); });
    r.get("/api/v1/discounts/{id}", read, [h](Context& ctx) { return h->get_discount(ctx); });
    r.patch("/api/v1/discounts/{id}", write, [h](Context& ctx) { return h->update_discount(ctx); });
    r.del("/api/v1/discounts/{id}", write, [h](Context& ctx) { return h->remove_discount(ctx); });
}

// Returns (section 11): the buyer (or a guest with the order's token) asks; admins receive
// or reject.
void OrderModule::return_routes(http::Routes& r) {
    using http::Context;
    using http::Auth;
    using http::Scope;
    // Asking for a return is the buyer's: no API key. Reading one is admin-or-owner.
    const http::Policy guest_read{.auth = Auth::Optional, .scope = Scope::OrdersRead};
    const http::Policy guest_write{Auth::Optional, http::RateClass::Write};
    const http::Policy admin_read{.auth = Auth::Admin, .scope = Scope::OrdersRead};
    const http::Policy admin_write{.auth = Auth::Admin, .rate = http::RateClass::Write, .scope = Scope::OrdersWrite};
    ReturnHandlers* h = &return_handlers_;

    r.post("/api/v1/orders/{id}/returns", guest_write, [h](Context& ctx) { return h->create(ctx); });
    r.get("/api/v1/orders/{id}/returns", guest_read, [h](Context& ctx) { return h->for_order(ctx); });
    r.get("/api/v1/returns", admin_read, [h](Context& ctx) { return h->list(ctx); });
    r.get("/api/v1/returns/{id}", guest_read, [h](Context& ctx) { return h->get(ctx); });
    r.post("/api/v1/returns/{id}/receive", admin_write, [h](Context& ctx) { return h->receive(ctx); });
    r.post("/api/v1/returns/{id}/reject", admin_write, [h](Context& ctx) { return h->reject(ctx); });
}

std::string_view OrderModule::openapi() const { return kOpenapi; }

void OrderModule::subscribe(events::EventBus& bus) { feed_.subscribe(bus, guest_claims_); }

void OrderModule::start() {
    feed_.catch_up(db_, guest_claims_);
    if (demo_ && seed_demo_discount(checkout_admin_)) log::info("demo: added the discount code WELCOME10 (10 % off)");
}

void OrderModule::jobs(core::Scheduler& scheduler) {
    // Unpaid orders expire within about a second of their deadline; every replica serving
    // orders runs this, and the conditional update lets exactly one of them win each order.
    scheduler.every(std::chrono::seconds(1), [this] { service_.expire_due(); });
    // Interrupted cancels are rare and sit on a partial index, so looking each second costs
    // next to nothing and finishes them soon after the payment module's settle_after.
    scheduler.every(std::chrono::seconds(1), [this] { service_.finish_interrupted_cancels(); });
}

}  // namespace shop::order
