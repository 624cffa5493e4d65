#include "order_module.hpp"

namespace shop::order {

extern const std::string_view kOpenapi;

OrderModule::OrderModule(Runtime& rt)
    : rt_(rt),
      service_(rt, rt.interfaces.need<api::Catalog>(name()), rt.interfaces.need<api::Inventory>(name()),
               rt.interfaces.need<api::Users>(name()), rt.interfaces.need_later<api::Payments>(name()),
               read_order_settings(*rt.config.settings)),
      carts_(rt.db, rt.interfaces.need<api::Catalog>(name()), rt.config.shop.currency) {
    rt.interfaces.offer<api::Orders>(name(), service_);
}

Tables OrderModule::tables() const {
    return {{"orders", "order_items", "cart_items"}, {}, {}};
}

void OrderModule::routes(http::Routes& r) {
    order_routes(r);
    cart_routes(r);
}

std::string_view OrderModule::openapi() const { return kOpenapi; }

void OrderModule::jobs(core::Scheduler& scheduler) {
    // Unpaid orders expire within about a second of their deadline; every replica serving
    // orders runs this, and the conditional update lets exactly one of them win each order.
    scheduler.every(std::chrono::seconds(1), [this] { service_.expire_due(); });
}

}  // namespace shop::order
