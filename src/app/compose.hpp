#pragma once
// shopd's composition root: which modules exist, in start order, and who gets whose
// interface. A missing dependency is a compile error here, not a runtime surprise.
// Header-only so that main() and the fuzz harness (fuzz/) compose exactly the same shop.
#include "analytics/analytics_module.hpp"
#include "app/app.hpp"
#include "order/order_module.hpp"
#include "payment/payment_module.hpp"
#include "product/product_module.hpp"
#include "search/search_module.hpp"
#include "user/user_module.hpp"

namespace shop::app {

inline void compose(App& app) {
    auto& users = app.add<shop::user::UserModule>();
    app.set_token_verifier(users.verifier());

    auto& products = app.add<shop::product::ProductModule>();
    auto& orders = app.add<shop::order::OrderModule>(products.catalog(), products.inventory(), users.users());
    auto& payments = app.add<shop::payment::PaymentModule>(orders.orders());
    // Orders and payments need each other: cancelling a paid order refunds it.
    orders.set_payments(payments.payments());
    app.add<shop::search::SearchModule>(products.catalog());
    app.add<shop::analytics::AnalyticsModule>(products.catalog());
}

}  // namespace shop::app
