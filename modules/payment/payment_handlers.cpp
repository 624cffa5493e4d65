#include <ctime>

#include "card.hpp"
#include "payment_handlers.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::payment {

using http::Context;
using http::Response;
using nlohmann::json;

namespace {
std::pair<int, int> utc_year_month() {
    std::time_t now = static_cast<std::time_t>(core::now_ms() / 1000);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return {tm.tm_year + 1900, tm.tm_mon + 1};
}

bool may_see(const Context& ctx, const std::string& owner) {
    return ctx.user().is_admin() || ctx.user().user_id == owner;
}
}  // namespace

Response PaymentHandlers::pay(Context& ctx) {
    // A guest pays with the order token its order came with (section 11).
    auto order_token = ctx.request().header("X-Order-Token");
    if (!ctx.principal() && (!order_token || order_token->empty()))
        throw Error::unauthorized("a bearer token, or a guest order's X-Order-Token, is required");
    // The key comes first: without it nothing else about the request matters.
    // The fingerprint sees the card as brand-neutral last four digits: a stored hash of
    // a whole card number could be reversed by trying every number.
    auto key = core::Idempotency::key_of(ctx, true, [](json& b) {
        auto card = b.find("card");
        if (card == b.end() || !card->is_object()) return;
        std::string digits;
        if (auto n = card->find("number"); n != card->end() && n->is_string())
            for (char ch : n->get<std::string>())
                if (ch >= '0' && ch <= '9') digits.push_back(ch);
        (*card)["number"] = digits.size() > 4 ? digits.substr(digits.size() - 4) : digits;
        card->erase("cvc");
    });
    json body = ctx.json_body();
    http::Fields f(body);
    auto order_id = f.string("order_id", {.min = 1, .max = 64});
    f.only({"order_id", "card"});
    Card card;
    if (!body.contains("card")) {
        f.error("card", "is required");
    } else {
        std::vector<FieldError> card_errors;
        auto [year, month] = utc_year_month();
        card = read_card(body["card"], year, month, card_errors);
        for (auto& e : card_errors) f.error(e.field, e.message);
    }
    f.done();
    // Without a bearer token the order token must be that order's, else it is not there;
    // it pays as the order's owner (none for a guest's order).
    std::string caller;
    if (ctx.principal()) {
        caller = ctx.user().user_id;
    } else {
        auto owner = payments_.owner_by_token(order_id, *order_token);
        if (!owner) throw Error::not_found("no such order");
        caller = *owner;
    }
    return core::to_response(payments_.pay(caller, *key, order_id, card));
}

Response PaymentHandlers::get(Context& ctx) {
    auto p = payments_.find(ctx.param("id"));
    if (!p || !may_see(ctx, p->user_id)) throw Error::not_found("no such payment");
    return Response::json(to_json(*p));
}

Response PaymentHandlers::for_order(Context& ctx) {
    auto o = db_.read([&](db::Conn& c) { return orders_.order(c, ctx.param("id")); });
    if (!o || !may_see(ctx, o->user_id)) throw Error::not_found("no such order");
    json items = json::array();
    for (const auto& p : payments_.for_order(o->id)) items.push_back(to_json(p));
    return Response::json(http::page_body(std::move(items), std::nullopt));
}

Response PaymentHandlers::refund(Context& ctx) {
    auto key = core::Idempotency::key_of(ctx, false);
    // A full refund needs no body at all.
    json body = ctx.request().body.empty() ? json::object() : ctx.json_body();
    http::Fields f(body);
    auto amount = f.opt_integer("amount", {.min = 1});
    f.only({"amount"});
    f.done();
    return core::to_response(payments_.refund(key, ctx.param("id"), amount));
}

Response PaymentHandlers::webhook(Context& ctx) {
    auto signature = ctx.request().header("Shop-Signature");
    if (!signature) throw Error("invalid_signature", "the Shop-Signature header is missing");
    return Response::json(payments_.webhook(*signature, ctx.request().body));
}

}  // namespace shop::payment
