#pragma once
// HTTP <-> JSON for API.md section 6: each handler reads and checks the request, calls the
// service and renders the contract's JSON. The route table (paths and policies) is in
// payment_module.cpp; the shape is the same in every module (docs/modules.md).
#include "payment_service.hpp"
#include "shop/api/orders.hpp"
#include "shop/db/database.hpp"
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"

namespace shop::payment {

class PaymentHandlers {
public:
    PaymentHandlers(db::Database& db, api::Orders& orders, PaymentService& payments)
        : db_(db), orders_(orders), payments_(payments) {}

    http::Response pay(http::Context& ctx);
    http::Response get(http::Context& ctx);
    http::Response for_order(http::Context& ctx);
    http::Response refund(http::Context& ctx);
    http::Response webhook(http::Context& ctx);

private:
    db::Database& db_;
    api::Orders& orders_;
    PaymentService& payments_;
};

}  // namespace shop::payment
