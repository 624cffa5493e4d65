#pragma once
// shopd's composition root: which modules exist, in start order. Each module declares in
// its constructor what it offers and needs (see include/shop/interfaces.hpp); a module
// needing an interface no one offers stops start-up with one line naming both.
// Header-only so that main() and the fuzz harness (fuzz/) compose exactly the same shop.
#include "analytics/analytics_module.hpp"
#include "app/app.hpp"
#include "order/order_module.hpp"
#include "pages/pages_module.hpp"
#include "payment/payment_module.hpp"
#include "product/product_module.hpp"
#include "search/search_module.hpp"
#include "user/user_module.hpp"

namespace shop::app {

inline void compose(App& app) {
    app.add<shop::user::UserModule>();          // offers users, token-verifier
    app.add<shop::product::ProductModule>();    // offers catalog, inventory
    app.add<shop::order::OrderModule>();        // needs catalog, inventory, users; later payments; offers orders
    app.add<shop::payment::PaymentModule>();    // needs orders; offers payments
    app.add<shop::search::SearchModule>();      // needs catalog
    app.add<shop::analytics::AnalyticsModule>();  // needs catalog
    app.add<shop::pages::PagesModule>();          // the storefront; needs nothing
}

}  // namespace shop::app
