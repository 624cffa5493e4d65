#pragma once
// HTTP <-> JSON for the returns of API.md section 11. The routes are in order_module.cpp
// (return_routes).
#include "order_service.hpp"
#include "return_service.hpp"
#include "shop/core/idempotency.hpp"
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"

namespace shop::order {

class ReturnHandlers {
public:
    ReturnHandlers(core::Idempotency& idempotency, OrderService& orders, ReturnService& returns)
        : idempotency_(idempotency), orders_(orders), returns_(returns) {}

    http::Response create(http::Context& ctx);           // POST /orders/{id}/returns
    http::Response for_order(http::Context& ctx);        // GET /orders/{id}/returns
    http::Response list(http::Context& ctx);             // GET /returns (admin)
    http::Response get(http::Context& ctx);              // GET /returns/{id}
    http::Response receive(http::Context& ctx);          // POST /returns/{id}/receive (admin)
    http::Response reject(http::Context& ctx);           // POST /returns/{id}/reject (admin)

private:
    // The order `order_id` if the caller may see it, as GET /orders/{id} decides (owner,
    // admin, or a guest with its X-Order-Token); else 404 (401 with neither credential).
    Order visible_order(const http::Context& ctx, const std::string& order_id);

    core::Idempotency& idempotency_;
    OrderService& orders_;
    ReturnService& returns_;
};

}  // namespace shop::order
