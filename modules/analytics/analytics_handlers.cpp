#include "analytics_handlers.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"
#include "shop/http/validate.hpp"

namespace shop::analytics {

using http::Context;
using http::Response;
using nlohmann::json;

namespace {

std::optional<std::int64_t> time_param(const http::Request& req, const char* name) {
    auto v = req.query(name);
    if (!v || v->empty()) return std::nullopt;
    auto t = core::parse_rfc3339(*v);
    if (!t)
        throw Error::validation(name, "must be an RFC 3339 date (2026-11-25) or timestamp (2026-11-25T17:40:44Z)");
    return t;
}

// [from, to). By default `to` is the end of today (midnight UTC tonight: nothing is dated
// later, so this is "up to now", including a sale made this very millisecond) and `from`
// is 30 UTC days before the day holding the last instant before `to`, so a chart of the
// default range has 30 daily points, today last.
Window range_of(const http::Request& req) {
    auto to_param = time_param(req, "to");
    auto from_param = time_param(req, "from");
    std::int64_t to = to_param.value_or(day_start(core::now_ms()) + kDayMs);
    std::int64_t from = from_param.value_or(day_start(to - 1) - 29 * kDayMs);
    if (from > to) throw Error::validation("from", "must not be after to");
    if (to - from > kMaxRangeDays * kDayMs)
        throw Error::validation("from", "the range may span at most " + std::to_string(kMaxRangeDays) + " days");
    return {from, to};
}

json range_json(Window w) { return {{"from", core::format_rfc3339(w.from)}, {"to", core::format_rfc3339(w.to)}}; }

json totals_json(const SalesTotals& t) {
    return {{"orders", t.orders},       {"items", t.items},       {"revenue", t.revenue}, {"refunds", t.refunds},
            {"discounts", t.discounts}, {"shipping", t.shipping}, {"tax", t.tax}};
}

json summary_json(const SummaryWindow& w) {
    json j = range_json({w.from, w.to});
    j["orders"] = w.totals.orders;
    j["revenue"] = w.totals.revenue;
    j["refunds"] = w.totals.refunds;
    j["net_revenue"] = w.totals.revenue - w.totals.refunds;
    j["discounts"] = w.totals.discounts;
    j["shipping"] = w.totals.shipping;
    j["tax"] = w.totals.tax;
    j["customers"] = w.customers;
    j["average_order_value"] = w.average_order_value();
    return j;
}

}  // namespace

Response AnalyticsHandlers::sales(Context& ctx) {
    const http::Request& req = ctx.request();
    Window range = range_of(req);
    Interval interval = Interval::Day;
    if (auto i = req.query("interval"); i && !i->empty()) {
        auto parsed = interval_from_string(*i);
        if (!parsed) throw Error::validation("interval", "must be one of day, week, month");
        interval = *parsed;
    }
    json buckets = json::array();
    for (const auto& b : analytics_.sales(range, interval)) {
        json j = totals_json(b.totals);
        j["start"] = core::format_rfc3339(b.start);
        buckets.push_back(std::move(j));
    }
    json body = range_json(range);
    body["currency"] = analytics_.currency();
    body["interval"] = std::string(to_string(interval));
    body["buckets"] = std::move(buckets);
    return Response::json(body);
}

Response AnalyticsHandlers::top_products(Context& ctx) {
    const http::Request& req = ctx.request();
    Window range = range_of(req);
    auto limit = http::query_integer(req, "limit", {.min = 1});
    ProductOrder order = ProductOrder::Revenue;
    if (auto s = req.query("sort"); s && !s->empty()) {
        if (*s == "units") order = ProductOrder::Units;
        else if (*s != "revenue") throw Error::validation("sort", "must be revenue or units");
    }
    json items = json::array();
    const int n = static_cast<int>(std::min<std::int64_t>(limit.value_or(10), 100));  // above 100 means 100
    for (const auto& p : analytics_.top_products(range, n, order))
        items.push_back({{"product_id", p.product_id},
                         {"name", p.name ? json(*p.name) : json(nullptr)},
                         {"units", p.units},
                         {"revenue", p.revenue}});
    json body = range_json(range);
    body["currency"] = analytics_.currency();
    body["items"] = std::move(items);
    return Response::json(body);
}

Response AnalyticsHandlers::summary(Context&) {
    Summary s = analytics_.summary(core::now_ms());
    return Response::json({{"currency", analytics_.currency()},
                           {"today", summary_json(s.today)},
                           {"last_30_days", summary_json(s.last_30_days)}});
}

}  // namespace shop::analytics
