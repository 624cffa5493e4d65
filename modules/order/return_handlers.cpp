#include "return_handlers.hpp"

#include <set>

#include "money.hpp"
#include "shop/core/error.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::order {

using http::Context;
using http::Response;
using nlohmann::json;

namespace {

constexpr std::size_t kReasonMax = 500;

ReturnRequest read_return_request(const json& body) {
    http::Fields f(body);
    f.only({"items", "reason"});
    ReturnRequest req;
    req.reason = f.string("reason", {.min = 1, .max = kReasonMax});
    auto items = f.opt_array("items");
    if (!items && f.ok()) f.error("items", "is required");
    if (items) {
        if (items->empty()) f.error("items", "must name at least one line of the order");
        if (items->size() > static_cast<std::size_t>(kMaxLines))
            f.error("items", "at most " + std::to_string(kMaxLines) + " lines");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < items->size() && i < static_cast<std::size_t>(kMaxLines); ++i) {
            const json& line = (*items)[i];
            const std::string name = "items[" + std::to_string(i) + "]";
            if (!line.is_object()) {
                f.error(name, "must be an object {variant_id, quantity}");
                continue;
            }
            http::Fields lf(line, name);
            auto variant_id = lf.string("variant_id", {.min = 1, .max = 64});
            auto quantity = lf.integer("quantity", {.min = 1, .max = kMaxQuantity});
            lf.only({"variant_id", "quantity"});
            if (lf.ok() && !seen.insert(variant_id).second) lf.error("variant_id", "names a line already named");
            f.merge(lf);
            req.items.push_back({variant_id, quantity});
        }
    }
    f.done();
    return req;
}

std::optional<ReturnStatus> read_status(const http::Request& req) {
    auto s = req.query("status");
    if (!s || s->empty()) return std::nullopt;
    auto status = return_status_from_string(*s);
    if (!status) throw Error::validation("status", "must be one of requested, received, rejected");
    return status;
}

json page(std::vector<OrderReturn> rows, int limit) {
    return http::page_of(
        std::move(rows), limit, [](const OrderReturn& r) { return http::keyset_position({r.created_at_ms, r.id}); },
        [](const OrderReturn& r) { return to_json(r); });
}

std::optional<ListKey> after_of(const http::Page& p) {
    if (auto k = http::keyset_after(p)) return ListKey{k->at, k->id};
    return std::nullopt;
}

}  // namespace

Order ReturnHandlers::visible_order(const Context& ctx, const std::string& order_id) {
    if (!ctx.principal()) {
        auto token = ctx.request().header("X-Order-Token");
        if (!token || token->empty())
            throw Error::unauthorized("a bearer token, or a guest order's X-Order-Token, is required");
        auto o = orders_.find_for_guest(order_id, *token);
        if (!o) throw Error::not_found("no such order");
        return *o;
    }
    auto o = orders_.find(order_id);
    if (!o || (!ctx.user().is_admin() && o->user_id != ctx.user().user_id)) throw Error::not_found("no such order");
    return *o;
}

Response ReturnHandlers::create(Context& ctx) {
    Order o = visible_order(ctx, ctx.param("id"));
    ReturnRequest req = read_return_request(ctx.json_body());
    auto key = core::Idempotency::key_of(ctx, false);
    return core::to_response(idempotency_.once(key, [&](db::Tx& tx) {
        OrderReturn r = returns_.request(tx, o, req);
        return core::Answer{to_json(r), true, "/api/v1/returns/" + r.id};
    }));
}

Response ReturnHandlers::for_order(Context& ctx) {
    Order o = visible_order(ctx, ctx.param("id"));
    auto p = http::parse_page(ctx.request());
    ReturnFilter f;
    f.order_id = o.id;
    f.status = read_status(ctx.request());
    return Response::json(page(returns_.list(f, after_of(p), p.limit + 1), p.limit));
}

Response ReturnHandlers::list(Context& ctx) {
    auto p = http::parse_page(ctx.request());
    ReturnFilter f;
    f.status = read_status(ctx.request());
    if (auto o = ctx.request().query("order_id"); o && !o->empty()) f.order_id = *o;
    return Response::json(page(returns_.list(f, after_of(p), p.limit + 1), p.limit));
}

Response ReturnHandlers::get(Context& ctx) {
    auto r = returns_.find(ctx.param("id"));
    // A return is as visible as its order; one the caller may not see does not exist.
    try {
        if (r) visible_order(ctx, r->order_id);
    } catch (const Error& e) {
        if (e.code() != "not_found") throw;
        r.reset();
    }
    if (!r) {
        auto token = ctx.request().header("X-Order-Token");
        if (!ctx.principal() && (!token || token->empty()))
            throw Error::unauthorized("a bearer token, or a guest order's X-Order-Token, is required");
        throw Error::not_found("no such return");
    }
    return Response::json(to_json(*r));
}

Response ReturnHandlers::receive(Context& ctx) {
    // {restock} is required: putting units back on sale is a decision, not a default.
    json body = ctx.json_body();
    http::Fields f(body);
    bool restock = f.boolean("restock");
    f.only({"restock"});
    f.done();
    return Response::json(to_json(returns_.receive(ctx.param("id"), restock)));
}

Response ReturnHandlers::reject(Context& ctx) {
    return Response::json(to_json(returns_.reject(ctx.param("id"))));
}

}  // namespace shop::order
