#include <catch2/catch.hpp>

#include "problem.hpp"

#include <nlohmann/json.hpp>

#include "analytics/analytics_module.hpp"
#include "module_world.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"

using namespace shop;
using nlohmann::json;

namespace {
using Api = test::ModuleApi<analytics::AnalyticsModule>;
}  // namespace

TEST_CASE("routes are registered with the contract's policies") {
    Api api;
    CHECK(api.route("/").policy.auth == http::Auth::Public);
    for (const char* admin : {"/api/v1/analytics/sales", "/api/v1/analytics/top-products", "/api/v1/analytics/summary",
                              "/api/v1/events"})
        CHECK(api.route(admin).policy.auth == http::Auth::Admin);
    auto doc = json::parse(api.module.openapi());
    for (const char* path :
         {"/api/v1/analytics/sales", "/api/v1/analytics/top-products", "/api/v1/analytics/summary", "/api/v1/events", "/"})
        CHECK(doc["paths"].contains(path));
}

TEST_CASE("GET /analytics/*: ranges, defaults and 422s") {
    Api api;
    api.emit("order.paid", {{"order_id", "o1"},
                            {"user_id", "u1"},
                            {"payment_id", "pay_o1"},
                            {"total", 1234},
                            {"currency", "USD"},
                            {"items", {{{"product_id", "p1"}, {"quantity", 2}, {"unit_price", 617}}}}});
    auto sales = api.get("/api/v1/analytics/sales");
    REQUIRE(sales.status == 200);
    CHECK(sales.body["currency"] == "USD");
    CHECK(sales.body["interval"] == "day");
    auto& buckets = sales.body["buckets"];
    REQUIRE(buckets.size() == 30);  // the last 30 days, today last
    CHECK(buckets.back()["start"] == core::format_rfc3339(core::now_ms() / 86'400'000 * 86'400'000));
    CHECK(buckets.back()["orders"] == 1);
    CHECK(buckets.back()["items"] == 2);
    CHECK(buckets.back()["revenue"] == 1234);
    CHECK(buckets.back()["refunds"] == 0);
    for (const char* part : {"discounts", "shipping", "tax"}) CHECK(buckets.back()[part] == 0);  // an older event
    CHECK(buckets.front()["orders"] == 0);

    auto month = api.get("/api/v1/analytics/sales", "from=2026-01-01&to=2026-04-01&interval=month");
    REQUIRE(month.status == 200);
    CHECK(month.body["buckets"].size() == 3);
    CHECK(month.body["buckets"][1]["start"] == "2026-02-01T00:00:00Z");
    CHECK(api.get("/api/v1/analytics/sales", "from=2026-01-01T12:00:00Z&to=2026-01-02T00:00:00%2B02:00")
              .body["buckets"]
              .size() == 1);

    CHECK(api.get("/api/v1/analytics/sales", "from=yesterday").status == 422);
    CHECK(api.get("/api/v1/analytics/sales", "to=2026-13-01").status == 422);
    CHECK(api.get("/api/v1/analytics/sales", "interval=year").status == 422);
    CHECK(api.get("/api/v1/analytics/sales", "from=2026-02-01&to=2026-01-01").status == 422);
    CHECK(api.get("/api/v1/analytics/sales", "from=1900-01-01&to=2026-01-01").status == 422);

    auto top = api.get("/api/v1/analytics/top-products", "limit=5");
    REQUIRE(top.status == 200);
    CHECK(top.body["items"] ==
          json::array({{{"product_id", "p1"}, {"name", nullptr}, {"units", 2}, {"revenue", 1234}}}));
    CHECK(api.get("/api/v1/analytics/top-products", "limit=0").status == 422);
    CHECK(api.get("/api/v1/analytics/top-products", "limit=x").status == 422);
    CHECK(api.get("/api/v1/analytics/top-products", "sort=price").status == 422);
    CHECK(api.get("/api/v1/analytics/top-products", "from=2026-02-30").status == 422);

    auto summary = api.get("/api/v1/analytics/summary");
    REQUIRE(summary.status == 200);
    CHECK(summary.body["currency"] == "USD");
    for (const char* w : {"today", "last_30_days"}) {
        CHECK(summary.body[w]["orders"] == 1);
        CHECK(summary.body[w]["revenue"] == 1234);
        CHECK(summary.body[w]["customers"] == 1);
        CHECK(summary.body[w]["average_order_value"] == 1234);
        for (const char* part : {"discounts", "shipping", "tax"}) CHECK(summary.body[w][part] == 0);
    }
}

TEST_CASE("GET /events: oldest first, after an id, by type, cursor-paged") {
    Api api;
    for (int i = 0; i < 5; ++i) api.emit(i % 2 ? "order.created" : "user.registered", {{"n", i}});
    auto all = api.get("/api/v1/events");
    REQUIRE(all.status == 200);
    auto& items = all.body["items"];
    REQUIRE(items.size() == 5);
    CHECK(items[0]["type"] == "user.registered");
    CHECK(items[0]["data"] == json{{"n", 0}});
    CHECK(items[0]["id"].get<std::string>().rfind("evt_", 0) == 0);
    CHECK(items[0]["created_at"].get<std::string>().size() == 20);
    CHECK(all.body["next_cursor"].is_null());

    std::string second = items[1]["id"];
    auto after = api.get("/api/v1/events", "after=" + second);
    REQUIRE(after.body["items"].size() == 3);
    CHECK(after.body["items"][0]["id"] == items[2]["id"]);

    auto typed = api.get("/api/v1/events", "type=order.created");
    CHECK(typed.body["items"].size() == 2);

    auto page = api.get("/api/v1/events", "limit=2");
    CHECK(page.body["items"].size() == 2);
    REQUIRE(page.body["next_cursor"].is_string());
    auto next = api.get("/api/v1/events", "limit=2&cursor=" + page.body["next_cursor"].get<std::string>());
    CHECK(next.body["items"][0]["id"] == items[2]["id"]);

    CHECK(api.get("/api/v1/events", "after=42").status == 422);
    CHECK(api.get("/api/v1/events", "after=evt_").status == 422);
    CHECK(api.get("/api/v1/events", "after=evt_-1").status == 422);
    CHECK(api.get("/api/v1/events", "after=evt_1x").status == 422);
    CHECK(api.get("/api/v1/events", "cursor=zzz").status == 422);
    CHECK(api.get("/api/v1/events", "limit=-3").status == 422);
    CHECK(api.get("/api/v1/events", "after=evt_999999").body["items"].empty());
}
