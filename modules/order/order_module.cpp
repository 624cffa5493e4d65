#include "order_module.hpp"

namespace shop::order {

extern const std::string_view kOpenapi;

OrderModule::OrderModule(Runtime& rt, api::Catalog& catalog, api::Inventory& inventory, api::Users& users)
    : rt_(rt), service_(rt, catalog, inventory, users), carts_(rt.db, catalog, rt.config.shop.currency) {}

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
