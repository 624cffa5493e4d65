#pragma once
// HTTP <-> JSON for API.md section 5 (and section 11's shipments): each handler reads and checks the request, calls a
// service and renders the contract's JSON. The route table (paths and policies) is in
// order_module.cpp; the shape is the same in every module (docs/modules.md).
#include "cart_service.hpp"
#include "order_service.hpp"
#include "shop/core/idempotency.hpp"
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"

namespace shop::order {

class OrderHandlers {
public:
    OrderHandlers(core::Idempotency& idempotency, OrderService& orders);

    http::Response create(http::Context& ctx);
    http::Response list(http::Context& ctx);
    http::Response quote(http::Context& ctx);
    http::Response get(http::Context& ctx);
    http::Response cancel(http::Context& ctx);
    http::Response ship(http::Context& ctx);
    http::Response create_shipment(http::Context& ctx);
    http::Response deliver(http::Context& ctx);

private:
    Order visible_order(const http::Context& ctx);

    core::Idempotency& idempotency_;
    OrderService& orders_;
};

class CartHandlers {
public:
    explicit CartHandlers(CartService& carts) : carts_(carts) {}

    http::Response view(http::Context& ctx);
    http::Response put_item(http::Context& ctx);
    http::Response remove_item(http::Context& ctx);
    http::Response clear(http::Context& ctx);

private:
    CartService& carts_;
};

}  // namespace shop::order
