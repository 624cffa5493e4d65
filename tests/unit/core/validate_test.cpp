#include <catch2/catch.hpp>

#include "problem.hpp"

#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

using namespace shop::http;
using nlohmann::json;

namespace {
std::vector<shop::FieldError> errors_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const shop::Error& e) {
        CHECK(shop::test::status_of(e) == 422);
        CHECK(e.code() == "validation_failed");
        return e.errors();
    }
    return {};
}
}  // namespace

TEST_CASE("fields collect every error at once") {
    json body = {{"name", "  Widget  "}, {"price", 10.5}, {"stock", -1}, {"extra", true}};
    auto errs = errors_of([&] {
        Fields f(body);
        CHECK(f.string("name", {.min = 1, .max = 10}) == "Widget");
        f.integer("price", {.min = 0});
        f.integer("stock", {.min = 0});
        f.string("sku");
        f.only({"name", "price", "stock", "sku"});
        f.done();
    });
    REQUIRE(errs.size() == 4);
    CHECK(errs[0].field == "price");
    CHECK(errs[1].field == "stock");
    CHECK(errs[2].field == "sku");
    CHECK(errs[2].message == "is required");
    CHECK(errs[3].field == "extra");
}

TEST_CASE("integers: floats, strings and overflow are refused") {
    for (json v : {json(1.0), json("5"), json(true), json(18446744073709551615ULL)}) {
        json body = {{"n", v}};
        Fields f(body);
        f.integer("n");
        CHECK_FALSE(f.ok());
    }
    json body = {{"n", 42}, {"m", nullptr}};
    Fields f(body);
    CHECK(f.integer("n", {.min = 0, .max = 100}) == 42);
    CHECK_FALSE(f.opt_integer("m").has_value());
    CHECK(f.ok());
}

TEST_CASE("paging: limits are capped, cursors round-trip, garbage is 422") {
    Request r;
    CHECK(parse_page(r).limit == 20);
    r.query_string = "limit=500";
    CHECK(parse_page(r).limit == 100);
    r.query_string = "limit=5&cursor=" + encode_cursor({{"t", 5}, {"id", "prod_x"}});
    auto p = parse_page(r);
    CHECK(p.limit == 5);
    REQUIRE(p.after);
    CHECK((*p.after)["id"] == "prod_x");
    for (const char* bad : {"limit=0", "limit=-3", "limit=ten", "limit=1.5", "cursor=%%%", "cursor=bm90IGpzb24"}) {
        r.query_string = bad;
        CHECK_FALSE(errors_of([&] { parse_page(r); }).empty());
    }
    auto body = page_body(json::array({1, 2}), std::nullopt);
    CHECK(body["next_cursor"].is_null());
    CHECK(body["items"].size() == 2);
}

TEST_CASE("paging: a page written from items' text is the page page_body dumps") {
    const json next = {{"t", 1700}, {"id", "prod_\"x"}};
    CHECK(page_body_text({}, std::nullopt) == page_body(json::array(), std::nullopt).dump());
    CHECK(page_body_text({R"({"a":1})", "[2]"}, next) == page_body(json::array({{{"a", 1}}, {2}}), next).dump());
}

TEST_CASE("paging: keyset and number cursors, and a page cut from limit + 1 rows") {
    Page p;
    CHECK_FALSE(keyset_after(p));
    CHECK_FALSE(number_after(p));
    p.after = keyset_position({1700, "ord_1"});
    auto k = keyset_after(p);
    REQUIRE(k);
    CHECK((k->at == 1700 && k->id == "ord_1"));
    CHECK_FALSE(errors_of([&] { number_after(p); }).empty());  // a keyset is no number
    p.after = json::array({1700, "usr_1"});  // the user lists' cursor before 1.1
    CHECK(keyset_after(p)->id == "usr_1");
    p.after = number_position(42);
    CHECK(number_after(p) == 42);
    CHECK_FALSE(errors_of([&] { keyset_after(p); }).empty());
    for (const json& bad : {json{{"n", -1}}, json{{"n", "4"}}, json{{"n", 4}, {"x", 1}}, json{{"t", 1}}, json(5)}) {
        p.after = bad;
        CHECK_FALSE(errors_of([&] { number_after(p); }).empty());
        CHECK_FALSE(errors_of([&] { keyset_after(p); }).empty());
    }

    auto number = [](int n) { return number_position(n); };
    auto render = [](int n) { return json(n * 10); };
    json full = page_of(std::vector<int>{1, 2, 3}, 2, number, render);
    CHECK(full["items"] == json::array({10, 20}));
    REQUIRE(full["next_cursor"].is_string());
    CHECK(decode_cursor(full["next_cursor"])->at("n") == 2);
    json last = page_of(std::vector<int>{1, 2}, 2, number, render);
    CHECK(last["items"].size() == 2);
    CHECK(last["next_cursor"].is_null());
}

TEST_CASE("http(s) URLs: absolute, with a host, no white space, at most the given length") {
    CHECK(is_http_url("https://www.ups.com/track?tracknum=1Z999"));
    CHECK(is_http_url("HTTP://example.com"));
    CHECK(is_http_url("http://127.0.0.1:8080/x#y"));
    for (const char* bad : {"", "ftp://example.com/x", "https://", "https:///path", "https://@host", "https://:80",
                            "https://exa mple.com", "https://example.com/\n", "example.com", "//example.com"})
        CHECK_FALSE(is_http_url(bad));
    const std::string base = "https://example.com/";
    CHECK(is_http_url(base + std::string(2048 - base.size(), 'x')));
    CHECK_FALSE(is_http_url(base + std::string(2049 - base.size(), 'x')));
    CHECK_FALSE(is_http_url("https://example.com/abc", 10));
}
