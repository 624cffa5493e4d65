#include "order_module.hpp"

namespace shop::order {

extern const std::string_view kOpenapi;

OrderModule::OrderModule(Runtime& rt)
    : service_(rt, rt.interfaces.need<api::Catalog>(name()), rt.interfaces.need<api::Inventory>(name()),
               rt.interfaces.need<api::Users>(name()), rt.interfaces.need_later<api::Payments>(name()),
               read_order_settings(*rt.config.settings)),
      carts_(rt.db, rt.interfaces.need<api::Catalog>(name()), rt.config.shop.currency),
      order_handlers_(rt.idempotency, service_),
      cart_handlers_(carts_) {
    rt.interfaces.offer<api::Orders>(name(), service_);
}

Tables OrderModule::tables() const {
    return {{"orders", "order_items", "cart_items", "shipping_zones", "shipping_zone_countries", "shipping_rates",
             "tax_rates", "discounts", "discount_uses"},
            {},
            {}};
}

void OrderModule::routes(http::Routes& r) {
    using http::Context;
    const http::Policy user_read{http::Auth::User};
    const http::Policy user_write{http::Auth::User, http::RateClass::Write};
    const http::Policy admin_write{http::Auth::Admin, http::RateClass::Write};
    OrderHandlers* o = &order_handlers_;
    CartHandlers* c = &cart_handlers_;

    // Each order holds stock for the order TTL: a class of its own, lower than other writes.
    const http::Policy checkout{http::Auth::User, http::RateClass::Checkout};
    r.post("/api/v1/orders", checkout, [o](Context& ctx) { return o->create(ctx); });
    // A quote reserves nothing, but prices a whole order: the checkout class too.
    r.post("/api/v1/checkout/quote", checkout, [o](Context& ctx) { return o->quote(ctx); });
    r.get("/api/v1/orders", user_read, [o](Context& ctx) { return o->list(ctx); });
    r.get("/api/v1/orders/{id}", user_read, [o](Context& ctx) { return o->get(ctx); });
    r.post("/api/v1/orders/{id}/cancel", user_write, [o](Context& ctx) { return o->cancel(ctx); });
    r.post("/api/v1/orders/{id}/ship", admin_write, [o](Context& ctx) { return o->ship(ctx); });
    r.post("/api/v1/orders/{id}/deliver", admin_write, [o](Context& ctx) { return o->deliver(ctx); });

    r.get("/api/v1/cart", user_read, [c](Context& ctx) { return c->view(ctx); });
    r.put("/api/v1/cart/items/{id}", user_write, [c](Context& ctx) { return c->put_item(ctx); });
    r.del("/api/v1/cart/items/{id}", user_write, [c](Context& ctx) { return c->remove_item(ctx); });
    r.del("/api/v1/cart", user_write, [c](Context& ctx) { return c->clear(ctx); });
}

std::string_view OrderModule::openapi() const { return kOpenapi; }

void OrderModule::jobs(core::Scheduler& scheduler) {
    // Unpaid orders expire within about a second of their deadline; every replica serving
    // orders runs this, and the conditional update lets exactly one of them win each order.
    scheduler.every(std::chrono::seconds(1), [this] { service_.expire_due(); });
}

}  // namespace shop::order
