#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <set>

#include "module_world.hpp"
#include "search/search_module.hpp"
#include "shop/core/time.hpp"

using namespace shop;
using nlohmann::json;

namespace {
using Api = test::ModuleApi<search::SearchModule>;
}  // namespace

TEST_CASE("routes are registered with the contract's policies") {
    Api api;
    CHECK(api.route("/api/v1/search").policy.auth == http::Auth::Public);
    CHECK(api.route("/api/v1/search/suggest").policy.auth == http::Auth::Public);
    auto doc = json::parse(api.module.openapi());
    for (const char* path : {"/api/v1/search", "/api/v1/search/suggest"}) CHECK(doc["paths"].contains(path));
}

TEST_CASE("GET /search: the response shape, paging by next_cursor, and 422s") {
    Api api;
    api.catalog.category("cat_a", "Alpha");
    for (int i = 0; i < 5; ++i) {
        std::string id = "p" + std::to_string(i);
        api.catalog.add(id, "Lamp " + std::to_string(i), "A <b>bright</b> lamp", 100 * (i + 1), "cat_a");
        api.create_product(id);
    }
    auto a = api.get("/api/v1/search", "q=lamp&limit=2");
    REQUIRE(a.status == 200);
    CHECK(a.body["total"] == 5);
    CHECK(a.body["items"].size() == 2);
    CHECK(a.body["facets"]["category"] == json::array({{{"value", "cat_a"}, {"name", "Alpha"}, {"count", 5}}}));
    CHECK(a.body["facets"]["options"] == json::array());
    CHECK(a.body["facets"]["price"] == json{{"min", 100}, {"max", 500}});
    CHECK(a.body["items"][0]["highlight"]["name"].get<std::string>().find("<mark>Lamp</mark>") == 0);
    CHECK(a.body["items"][0]["highlight"]["description"] == "A &lt;b&gt;bright&lt;/b&gt; <mark>lamp</mark>");
    CHECK(a.body["items"][0].contains("score"));

    std::set<std::string> seen;
    std::string cursor;
    for (int page = 0; page < 5; ++page) {
        auto p = api.get("/api/v1/search", "q=lamp&limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
        REQUIRE(p.status == 200);
        for (const auto& item : p.body["items"]) seen.insert(item["id"]);
        if (p.body["next_cursor"].is_null()) break;
        cursor = p.body["next_cursor"];
    }
    CHECK(seen.size() == 5);

    auto empty = api.get("/api/v1/search", "q=");
    CHECK(empty.status == 200);
    CHECK(empty.body == json{{"items", json::array()},
                             {"facets", {{"category", json::array()}, {"options", json::array()}, {"price", nullptr}}},
                             {"total", 0},
                             {"next_cursor", nullptr}});
    CHECK(api.get("/api/v1/search", "q=%22%2A%28%29").body["total"] == 0);
    CHECK(api.get("/api/v1/search", "q=LAMP%22%20OR%20%2A").status == 200);

    CHECK(api.get("/api/v1/search").code == "validation_failed");
    CHECK(api.get("/api/v1/search", "q=lamp&cursor=nope").status == 422);
    CHECK(api.get("/api/v1/search", "q=lamp&limit=0").status == 422);
    CHECK(api.get("/api/v1/search", "q=lamp&min_price=-1").status == 422);
    CHECK(api.get("/api/v1/search", "q=lamp&min_price=abc").status == 422);
    CHECK(api.get("/api/v1/search", "q=lamp&min_price=500&max_price=100").status == 422);
    CHECK(api.get("/api/v1/search", "q=lamp&category=cat_unknown").status == 422);
    CHECK(api.get("/api/v1/search", "q=%FF").status == 422);
    CHECK(api.get("/api/v1/search", "q=" + std::string(501, 'a')).status == 422);
    CHECK(api.get("/api/v1/search", "q=lamp&min_price=200&max_price=300").body["total"] == 2);
    CHECK(api.get("/api/v1/search", "q=lamp&category=cat_a").body["total"] == 5);
}

TEST_CASE("GET /search/suggest") {
    Api api;
    api.catalog.add("p1", "Desk lamp", "");
    api.create_product("p1");
    auto a = api.get("/api/v1/search/suggest", "q=de");
    REQUIRE(a.status == 200);
    CHECK(a.body == json{{"suggestions", {"Desk lamp"}}});
    CHECK(api.get("/api/v1/search/suggest", "q=").body == json{{"suggestions", json::array()}});
    CHECK(api.get("/api/v1/search/suggest").status == 422);
    CHECK(api.get("/api/v1/search/suggest", "q=de&limit=11").status == 422);
}
