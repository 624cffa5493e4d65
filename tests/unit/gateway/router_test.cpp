#include <catch2/catch.hpp>

#include "gateway/router.hpp"

using namespace shop;
using shop::http::Method;

namespace {
http::Route route(Method m, std::string p) {
    return {m, std::move(p), {}, [](http::Context&) { return http::Response{}; }};
}
}  // namespace

TEST_CASE("router matches static paths and captures parameters") {
    gateway::Router r;
    r.add(route(Method::Get, "/api/v1/products"));
    r.add(route(Method::Get, "/api/v1/products/{id}"));
    r.add(route(Method::Post, "/api/v1/products/{id}/stock"));
    r.add(route(Method::Get, "/api/v1/search/suggest"));
    r.add(route(Method::Get, "/api/v1/search/{x}"));

    auto m = r.match(Method::Get, "/api/v1/products/prod_1");
    REQUIRE(m.route);
    CHECK(m.route->pattern == "/api/v1/products/{id}");
    REQUIRE(m.params.size() == 1);
    CHECK(m.params[0] == std::pair<std::string, std::string>{"id", "prod_1"});

    CHECK(r.match(Method::Post, "/api/v1/products/p/stock").route->pattern == "/api/v1/products/{id}/stock");
    CHECK(r.match(Method::Get, "/api/v1/products/").route->pattern == "/api/v1/products");
    // A static segment beats a parameter.
    CHECK(r.match(Method::Get, "/api/v1/search/suggest").route->pattern == "/api/v1/search/suggest");
    CHECK(r.match(Method::Get, "/api/v1/search/other").route->pattern == "/api/v1/search/{x}");
    // HEAD is served by GET routes.
    CHECK(r.match(Method::Head, "/api/v1/products").route);
}

TEST_CASE("router tells unknown paths from wrong methods") {
    gateway::Router r;
    r.add(route(Method::Get, "/a/{id}"));
    r.add(route(Method::Delete, "/a/{id}"));

    auto unknown = r.match(Method::Get, "/b");
    CHECK_FALSE(unknown.route);
    CHECK_FALSE(unknown.path_found);

    auto wrong = r.match(Method::Post, "/a/1");
    CHECK_FALSE(wrong.route);
    CHECK(wrong.path_found);
    CHECK(gateway::allow_header(wrong.allowed) == "GET, HEAD, DELETE");
    CHECK_FALSE(r.match(Method::Get, "/a/1/extra").path_found);
}

TEST_CASE("router refuses duplicate and malformed patterns") {
    gateway::Router r;
    r.add(route(Method::Get, "/x"));
    CHECK_THROWS_AS(r.add(route(Method::Get, "/x")), std::logic_error);
    CHECK_THROWS_AS(r.add(route(Method::Get, "x")), std::logic_error);
    CHECK_NOTHROW(r.add(route(Method::Post, "/x")));
}
