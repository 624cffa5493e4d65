#include "order_handlers.hpp"

#include "money.hpp"
#include "shop/core/email.hpp"
#include "shop/core/iso3166.hpp"
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
    // Zones and tax rates name countries by ISO code: "de" is Germany as "DE" is, as a
    // saved address has it.
    std::string& country = out["country"].get_ref<std::string&>();
    if (country.size() == 2 && std::isalpha(static_cast<unsigned char>(country[0])) &&
        std::isalpha(static_cast<unsigned char>(country[1])))
        for (char& ch : country) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    // A region (ISO 3166-2, e.g. US-CA) picks a tax rate of its own over the country's.
    if (auto region = f.opt_string("region", {.max = 6}); region && !region->empty()) {
        for (char& ch : *region) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (core::is_region_code(*region, country)) out["region"] = *region;
        else f.error("region", "must be an ISO 3166-2 code of the address's country, such as US-CA");
    }
    f.only({"name", "line1", "line2", "city", "postal_code", "country", "region"});
    parent.merge(f);
    return out;
}

// Who is buying: a guest (no token) must give an e-mail for an order (a quote may leave it
// out), and orders explicit items to an inline address.
enum class Buyer { User, Guest, GuestQuote };

OrderRequest read_order_request(const json& body, Buyer buyer) {
    http::Fields f(body);
    f.only({"items", "shipping_address", "from_cart", "address_id", "shipping_rate_id", "discount_code", "email"});
    OrderRequest req;
    if (buyer != Buyer::User) {
        if (body.is_object() && body.contains("from_cart")) f.error("from_cart", "needs a signed-in user");
        if (body.is_object() && body.contains("address_id")) f.error("address_id", "needs a signed-in user");
        if (auto email = f.opt_string("email", {.max = core::kEmailMax + 64})) {
            req.email = core::normalize_email(*email);
            if (!core::valid_email(*req.email)) f.error("email", "must be a valid email address");
        } else if (buyer == Buyer::Guest) {
            f.error("email", "is required to order without an account");
        }
    } else if (body.is_object() && body.contains("email")) {
        // A signed-in buyer orders under their account's address: an e-mail here is ignored
        // only if it is one, so a typo is still a 422.
        auto email = f.opt_string("email", {.max = core::kEmailMax + 64});
        if (email && !core::valid_email(core::normalize_email(*email))) f.error("email", "must be a valid email address");
    }
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
                f.error(name, "must be an object {variant_id or product_id, quantity}");
                continue;
            }
            http::Fields lf(line, name);
            // A variant id, or the id of a product without options (section 9).
            auto variant_id = lf.opt_string("variant_id", {.min = 1, .max = 64});
            auto product_id = lf.opt_string("product_id", {.min = 1, .max = 64});
            if (!line.contains("variant_id") && !line.contains("product_id"))
                lf.error("product_id", "is required (or variant_id)");
            auto quantity = lf.integer("quantity", {.min = 1, .max = kMaxQuantity});
            lf.only({"product_id", "variant_id", "quantity"});
            f.merge(lf);
            if (variant_id)
                req.items.push_back({*variant_id, quantity, product_id, true});
            else
                req.items.push_back({product_id.value_or(""), quantity, std::nullopt, false});
        }
    }
    auto address = f.opt_object("shipping_address");
    req.address_id = f.opt_string("address_id", {.min = 1, .max = 64});
    if (address && req.address_id) f.error("address_id", "give shipping_address or address_id, not both");
    else if (address) req.shipping_address = read_address(f, *address);
    else if (!req.address_id && f.ok()) f.error("shipping_address", "is required (or give address_id)");
    req.shipping_rate_id = f.opt_string("shipping_rate_id", {.min = 1, .max = 64});
    // Codes are letters, digits, - and _ (checked where they are made); anything else
    // simply names no code, which pricing answers with discount_invalid.
    req.discount_code = f.opt_string("discount_code", {.min = 1, .max = 64});
    f.done();
    return req;
}

ShipmentRequest read_shipment_request(const json& body) {
    http::Fields f(body);
    f.only({"carrier", "tracking_number", "tracking_url", "items"});
    ShipmentRequest req;
    req.carrier = f.string("carrier", {.min = 1, .max = 100});
    req.tracking_number = f.string("tracking_number", {.min = 1, .max = 100});
    req.tracking_url = f.opt_string("tracking_url", {.max = 2048, .trim = false});
    if (req.tracking_url && !http::is_http_url(*req.tracking_url))
        f.error("tracking_url", "must be an absolute http or https URL");
    if (auto items = f.opt_array("items")) {
        if (items->empty()) f.error("items", "must name at least one variant (leave it out to ship everything left)");
        if (items->size() > static_cast<std::size_t>(kMaxLines))
            f.error("items", "at most " + std::to_string(kMaxLines) + " lines");
        std::vector<ShipmentLine> lines;
        for (std::size_t i = 0; i < items->size() && i < static_cast<std::size_t>(kMaxLines); ++i) {
            const json& line = (*items)[i];
            std::string name = "items[" + std::to_string(i) + "]";
            if (!line.is_object()) {
                f.error(name, "must be an object {variant_id, quantity}");
                continue;
            }
            http::Fields lf(line, name);
            auto variant_id = lf.string("variant_id", {.min = 1, .max = 64});
            auto quantity = lf.integer("quantity", {.min = 1, .max = kMaxQuantity});
            lf.only({"variant_id", "quantity"});
            f.merge(lf);
            lines.push_back({variant_id, quantity});
        }
        req.items = std::move(lines);
    }
    f.done();
    return req;
}

}  // namespace

OrderHandlers::OrderHandlers(core::Idempotency& idempotency, OrderService& orders)
    : idempotency_(idempotency), orders_(orders) {}

// An order its caller may not see is as absent as one that does not exist. Without a
// bearer token, a guest's X-Order-Token opens its own order and no other.
Order OrderHandlers::visible_order(const Context& ctx) {
    if (!ctx.principal()) {
        auto token = ctx.request().header("X-Order-Token");
        if (!token || token->empty())
            throw Error::unauthorized("a bearer token, or a guest order's X-Order-Token, is required");
        auto o = orders_.find_for_guest(ctx.param("id"), *token);
        if (!o) throw Error::not_found("no such order");
        return *o;
    }
    auto o = orders_.find(ctx.param("id"));
    if (!o || (!ctx.user().is_admin() && o->user_id != ctx.user().user_id)) throw Error::not_found("no such order");
    return *o;
}

Response OrderHandlers::create(Context& ctx) {
    const bool guest = !ctx.principal();
    OrderRequest req = read_order_request(ctx.json_body(), guest ? Buyer::Guest : Buyer::User);
    auto key = core::Idempotency::key_of(ctx, false);
    const std::string user_id = guest ? std::string() : ctx.user().user_id;
    return core::to_response(idempotency_.once(key, [&](db::Tx& tx) {
        Order o = orders_.create(tx, user_id, req);
        return core::Answer{to_json(o), true, "/api/v1/orders/" + o.id};
    }));
}

Response OrderHandlers::quote(Context& ctx) {
    const bool guest = !ctx.principal();
    OrderRequest req = read_order_request(ctx.json_body(), guest ? Buyer::GuestQuote : Buyer::User);
    return Response::json(to_json(orders_.quote(guest ? std::string() : ctx.user().user_id, req)));
}

Response OrderHandlers::list(Context& ctx) {
    auto page = http::parse_page(ctx.request());
    OrderFilter f;
    if (auto s = ctx.request().query("status"); s && !s->empty()) {
        f.status = status_from_string(*s);
        if (!f.status)
            throw Error::validation("status", "must be one of " + std::string(status_names()));
    }
    // Customers see their own orders whatever they ask for; admins may filter by user.
    if (!ctx.user().is_admin()) f.user_id = ctx.user().user_id;
    else if (auto u = ctx.request().query("user_id"); u && !u->empty()) f.user_id = *u;
    std::optional<OrderCursor> after;
    if (auto k = http::keyset_after(page)) after = OrderCursor{k->at, k->id};
    auto orders = orders_.list(f, after, page.limit + 1);
    return Response::json(http::page_of(
        std::move(orders), page.limit, [](const Order& o) { return http::keyset_position({o.created_at_ms, o.id}); },
        [](const Order& o) { return to_json(o); }));
}

Response OrderHandlers::get(Context& ctx) {
    return Response::json(to_json(visible_order(ctx)));
}

Response OrderHandlers::cancel(Context& ctx) {
    Order o = visible_order(ctx);
    return Response::json(to_json(orders_.cancel(o.id)));
}

Response OrderHandlers::ship(Context& ctx) {
    return Response::json(to_json(orders_.advance(ctx.param("id"), Action::Ship)));
}

Response OrderHandlers::create_shipment(Context& ctx) {
    ShipmentRequest req = read_shipment_request(ctx.json_body());
    return Response::json(201, to_json(orders_.ship(ctx.param("id"), req)));
}

Response OrderHandlers::deliver(Context& ctx) {
    return Response::json(to_json(orders_.advance(ctx.param("id"), Action::Deliver)));
}

Response CartHandlers::view(Context& ctx) {
    return Response::json(to_json(carts_.view(ctx.user().user_id)));
}

Response CartHandlers::put_item(Context& ctx) {
    json body = ctx.json_body();
    http::Fields f(body);
    auto quantity = f.integer("quantity", {.min = 0, .max = kMaxQuantity});
    f.only({"quantity"});
    f.done();
    return Response::json(to_json(carts_.put(ctx.user().user_id, ctx.param("id"), quantity)));
}

Response CartHandlers::remove_item(Context& ctx) {
    return Response::json(to_json(carts_.remove(ctx.user().user_id, ctx.param("id"))));
}

Response CartHandlers::clear(Context& ctx) {
    return Response::json(to_json(carts_.clear(ctx.user().user_id)));
}

}  // namespace shop::order
