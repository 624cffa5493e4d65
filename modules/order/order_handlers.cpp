#include "order_module.hpp"

#include "shop/core/time.hpp"
#include "shop/core/error.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::order {

using http::Context;
using http::Response;
using nlohmann::json;

namespace {

json read_address(http::Fields& parent, const json& body) {
    http::Fields f(body, "shipping_address");
    json out = {
        {"name", f.string("name", {.min = 1, .max = 200})},
        {"line1", f.string("line1", {.min = 1, .max = 200})},
        {"city", f.string("city", {.min = 1, .max = 100})},
        {"postal_code", f.string("postal_code", {.min = 1, .max = 20})},
        {"country", f.string("country", {.min = 2, .max = 56})},
    };
    if (auto line2 = f.opt_string("line2", {.max = 200}); line2 && !line2->empty()) out["line2"] = *line2;
    f.only({"name", "line1", "line2", "city", "postal_code", "country"});
    parent.merge(f);
    return out;
}

OrderRequest read_order_request(const json& body) {
    http::Fields f(body);
    f.only({"items", "shipping_address", "from_cart", "address_id"});
    OrderRequest req;
    req.from_cart = f.opt_boolean("from_cart").value_or(false);
    auto items = f.opt_array("items");
    if (req.from_cart && items) f.error("items", "give items or from_cart, not both");
    if (!req.from_cart && !items && f.ok()) f.error("items", "is required (or send from_cart: true)");
    if (items && !req.from_cart) {
        if (items->empty()) f.error("items", "must name at least one product");
        if (items->size() > static_cast<std::size_t>(kMaxLines))
            f.error("items", "at most " + std::to_string(kMaxLines) + " lines");
        for (std::size_t i = 0; i < items->size() && i < static_cast<std::size_t>(kMaxLines); ++i) {
            const json& line = (*items)[i];
            std::string name = "items[" + std::to_string(i) + "]";
            if (!line.is_object()) {
                f.error(name, "must be an object {product_id, quantity}");
                continue;
            }
            http::Fields lf(line, name);
            auto product_id = lf.string("product_id", {.min = 1, .max = 64});
            auto quantity = lf.integer("quantity", {.min = 1, .max = kMaxQuantity});
            lf.only({"product_id", "quantity"});
            f.merge(lf);
            req.items.push_back({product_id, quantity});
        }
    }
    auto address = f.opt_object("shipping_address");
    req.address_id = f.opt_string("address_id", {.min = 1, .max = 64});
    if (address && req.address_id) f.error("address_id", "give shipping_address or address_id, not both");
    else if (address) req.shipping_address = read_address(f, *address);
    else if (!req.address_id && f.ok()) f.error("shipping_address", "is required (or give address_id)");
    f.done();
    return req;
}

std::optional<OrderCursor> cursor_of(const http::Page& page) {
    if (!page.after) return std::nullopt;
    const json& a = *page.after;
    if (!a.is_object() || !a.contains("t") || !a["t"].is_number_integer() || !a.contains("id") || !a["id"].is_string())
        throw Error::validation("cursor", "is not a cursor this server issued");
    return OrderCursor{a["t"].get<std::int64_t>(), a["id"].get<std::string>()};
}

}  // namespace

// An order its caller may not see is as absent as one that does not exist.
Order OrderModule::visible_order(const Context& ctx) {
    auto o = service_.find(ctx.param("id"));
    if (!o || (!ctx.user().is_admin() && o->user_id != ctx.user().user_id)) throw Error::not_found("no such order");
    return *o;
}

void OrderModule::order_routes(http::Routes& r) {
    const http::Policy user_write{http::Auth::User, http::RateClass::Write};
    const http::Policy user_read{http::Auth::User};
    const http::Policy admin_write{http::Auth::Admin, http::RateClass::Write};

    r.post("/api/v1/orders", user_write, [this](Context& ctx) {
        OrderRequest req = read_order_request(ctx.json_body());
        auto key = core::Idempotency::key_of(ctx, false);
        return core::to_response(rt_.idempotency.once(key, [&](db::Tx& tx) {
            Order o = service_.create(tx, ctx.user().user_id, req);
            return core::Answer{to_json(o), true, "/api/v1/orders/" + o.id};
        }));
    });

    r.get("/api/v1/orders", user_read, [this](Context& ctx) {
        auto page = http::parse_page(ctx.request());
        OrderFilter f;
        if (auto s = ctx.request().query("status"); s && !s->empty()) {
            f.status = status_from_string(*s);
            if (!f.status)
                throw Error::validation("status", "must be one of pending_payment, paid, shipped, delivered, "
                                                     "cancelled, expired");
        }
        // Customers see their own orders whatever they ask for; admins may filter by user.
        if (!ctx.user().is_admin()) f.user_id = ctx.user().user_id;
        else if (auto u = ctx.request().query("user_id"); u && !u->empty()) f.user_id = *u;
        auto orders = service_.list(f, cursor_of(page), page.limit + 1);
        std::optional<json> next;
        if (static_cast<int>(orders.size()) > page.limit) {
            orders.resize(static_cast<std::size_t>(page.limit));
            next = json{{"t", orders.back().created_at_ms}, {"id", orders.back().id}};
        }
        json items = json::array();
        for (const auto& o : orders) items.push_back(to_json(o));
        return Response::json(http::page_body(std::move(items), next));
    });

    r.get("/api/v1/orders/{id}", user_read, [this](Context& ctx) { return Response::json(to_json(visible_order(ctx))); });

    r.post("/api/v1/orders/{id}/cancel", user_write, [this](Context& ctx) {
        Order o = visible_order(ctx);
        return Response::json(to_json(service_.cancel(o.id)));
    });
    r.post("/api/v1/orders/{id}/ship", admin_write,
           [this](Context& ctx) { return Response::json(to_json(service_.advance(ctx.param("id"), Action::Ship))); });
    r.post("/api/v1/orders/{id}/deliver", admin_write, [this](Context& ctx) {
        return Response::json(to_json(service_.advance(ctx.param("id"), Action::Deliver)));
    });
}

void OrderModule::cart_routes(http::Routes& r) {
    const http::Policy user{http::Auth::User};
    const http::Policy user_write{http::Auth::User, http::RateClass::Write};

    r.get("/api/v1/cart", user, [this](Context& ctx) { return Response::json(to_json(carts_.view(ctx.user().user_id))); });
    r.put("/api/v1/cart/items/{product_id}", user_write, [this](Context& ctx) {
        json body = ctx.json_body();
        http::Fields f(body);
        auto quantity = f.integer("quantity", {.min = 0, .max = kMaxQuantity});
        f.only({"quantity"});
        f.done();
        return Response::json(to_json(carts_.put(ctx.user().user_id, ctx.param("product_id"), quantity)));
    });
    r.del("/api/v1/cart/items/{product_id}", user_write, [this](Context& ctx) {
        return Response::json(to_json(carts_.remove(ctx.user().user_id, ctx.param("product_id"))));
    });
    r.del("/api/v1/cart", user_write,
          [this](Context& ctx) { return Response::json(to_json(carts_.clear(ctx.user().user_id))); });
}

}  // namespace shop::order
