#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/client_address.hpp"
#include "gateway/gateway.hpp"
#include "shop/core/error.hpp"

using namespace shop;
using http::Method;

namespace {
// Runs "worker" jobs at once, so the whole pipeline is synchronous in tests.
struct InlineScheduler : core::Scheduler {
    void every(std::chrono::milliseconds, std::function<void()>) override {}
    void post(std::function<void()> fn) override { fn(); }
};

struct FakeVerifier : http::TokenVerifier {
    std::optional<http::Principal> verify(std::string_view t) const override {
        if (t == "customer-token") return http::Principal{"usr_1", http::Role::Customer};
        if (t == "admin-token") return http::Principal{"usr_2", http::Role::Admin};
        if (t == "sk_catalog") return http::Principal{"key_1", http::Role::Admin, std::vector{http::Scope::CatalogRead}};
        if (t == "sk_orders") return http::Principal{"key_2", http::Role::Admin, std::vector{http::Scope::OrdersRead}};
        return std::nullopt;
    }
};

struct Fixture {
    core::Config config;
    core::Metrics metrics;
    InlineScheduler sched;
    FakeVerifier verifier;
    std::unique_ptr<gateway::Gateway> gw;

    explicit Fixture(double burst = 1000) {
        config.rate_limit.rps = 1;
        config.rate_limit.burst = burst;
        config.server.cors_origins = {"https://shop.example"};
        gw = std::make_unique<gateway::Gateway>(config, metrics, sched);
        gw->set_token_verifier(&verifier);
        gw->get("/open/{id}", {}, [](http::Context& c) { return http::Response::json({{"id", c.param("id")}}); });
        gw->post("/open/{id}", {}, [](http::Context& c) { return http::Response::json(201, c.json_body()); });
        gw->get("/mine", {http::Auth::User}, [](http::Context& c) { return http::Response::json({{"sub", c.user().user_id}}); });
        gw->get("/admin", {http::Auth::Admin}, [](http::Context&) { return http::Response::no_content(); });
        gw->get("/catalog", {.auth = http::Auth::Admin, .scope = http::Scope::CatalogRead},
                [](http::Context& c) { return http::Response::json({{"sub", c.user().user_id}}); });
        gw->get("/roles", {.auth = http::Auth::Admin}, [](http::Context&) { return http::Response::no_content(); });
        gw->get("/orders/{id}", {.auth = http::Auth::Optional, .scope = http::Scope::OrdersRead},
                [](http::Context& c) { return http::Response::json({{"admin", c.user().is_admin()}}); });
        gw->get("/boom", {}, [](http::Context&) -> http::Response { throw std::runtime_error("kaboom"); });
    }

    http::Response send(Method m, std::string path, http::Headers headers = {}, std::string body = {},
                        std::string ip = "10.0.0.1") {
        http::Request r;
        r.method = m;
        r.path = std::move(path);
        r.headers = std::move(headers);
        r.body = std::move(body);
        r.client_ip = std::move(ip);
        http::Response out;
        gw->handle(std::move(r), [&](http::Response res) { out = std::move(res); });
        return out;
    }
};

std::string code_of(const http::Response& r) { return nlohmann::json::parse(r.body).value("code", ""); }
}  // namespace

TEST_CASE("404 and 405 are problem+json; 405 names the allowed methods") {
    Fixture f;
    auto r404 = f.send(Method::Get, "/nope");
    CHECK(r404.status == 404);
    CHECK(code_of(r404) == "not_found");
    auto r405 = f.send(Method::Delete, "/open/1");
    CHECK(r405.status == 405);
    CHECK(code_of(r405) == "method_not_allowed");
    CHECK(r405.header("Allow") == "GET, HEAD, POST");
}

TEST_CASE("request ids are echoed when valid and generated otherwise") {
    Fixture f;
    CHECK(f.send(Method::Get, "/open/1", {{"X-Request-Id", "abc-123_x.y:z"}}).header("X-Request-Id") == "abc-123_x.y:z");
    auto bad = f.send(Method::Get, "/open/1", {{"X-Request-Id", "has space\r\nX-Evil: 1"}});
    REQUIRE(bad.header("X-Request-Id"));
    CHECK(bad.header("X-Request-Id")->find(' ') == std::string::npos);
    CHECK(f.send(Method::Get, "/open/1", {{"X-Request-Id", std::string(129, 'a')}}).header("X-Request-Id")->size() < 129);
    CHECK(f.send(Method::Get, "/open/1").header("X-Request-Id"));
}

TEST_CASE("bearer auth: 401 with WWW-Authenticate, 403 for the wrong role") {
    Fixture f;
    auto none = f.send(Method::Get, "/mine");
    CHECK(none.status == 401);
    CHECK(none.header("WWW-Authenticate")->starts_with("Bearer"));
    CHECK(f.send(Method::Get, "/mine", {{"Authorization", "Bearer forged"}}).status == 401);
    auto ok = f.send(Method::Get, "/mine", {{"Authorization", "Bearer customer-token"}});
    CHECK(ok.status == 200);
    CHECK(nlohmann::json::parse(ok.body)["sub"] == "usr_1");
    CHECK(f.send(Method::Get, "/admin", {{"Authorization", "Bearer customer-token"}}).status == 403);
    CHECK(f.send(Method::Get, "/admin", {{"Authorization", "Bearer admin-token"}}).status == 204);
}

TEST_CASE("API keys: only routes naming one of their scopes, never customer or key-less routes") {
    Fixture f;
    auto as = [&](const char* token, const char* path) {
        return f.send(Method::Get, path, {{"Authorization", std::string("Bearer ") + token}});
    };
    auto ok = as("sk_catalog", "/catalog");
    CHECK(ok.status == 200);
    CHECK(nlohmann::json::parse(ok.body)["sub"] == "key_1");
    auto wrong = as("sk_orders", "/catalog");
    CHECK(wrong.status == 403);
    CHECK(code_of(wrong) == "insufficient_scope");
    CHECK(code_of(as("sk_catalog", "/roles")) == "insufficient_scope");  // an admin route naming no scope
    CHECK(as("admin-token", "/roles").status == 204);
    CHECK(code_of(as("sk_catalog", "/mine")) == "insufficient_scope");  // a customer route
    // An admin-or-owner route naming a scope: the key holding it reads as an admin, another is refused.
    auto read = as("sk_orders", "/orders/1");
    CHECK(read.status == 200);
    CHECK(nlohmann::json::parse(read.body)["admin"] == true);
    CHECK(code_of(as("sk_catalog", "/orders/1")) == "insufficient_scope");
    CHECK(as("customer-token", "/orders/1").status == 200);
    // Public routes do not look at the caller at all.
    CHECK(as("sk_catalog", "/open/1").status == 200);
    CHECK(as("forged", "/open/1").status == 200);
}

TEST_CASE("bodies: malformed JSON is 400 invalid_json, deep nesting too") {
    Fixture f;
    CHECK(code_of(f.send(Method::Post, "/open/1", {}, "{\"a\":")) == "invalid_json");
    CHECK(code_of(f.send(Method::Post, "/open/1", {}, std::string(100000, '['))) == "invalid_json");
    CHECK(code_of(f.send(Method::Post, "/open/1", {}, "[1,2]")) == "validation_failed");
    CHECK(f.send(Method::Post, "/open/1", {}, R"({"a":1})").status == 201);
}

TEST_CASE("an unexpected exception is a 500 naming the request id") {
    Fixture f;
    auto r = f.send(Method::Get, "/boom", {{"X-Request-Id", "trace-me"}});
    CHECK(r.status == 500);
    CHECK(code_of(r) == "internal_error");
    CHECK(r.body.find("trace-me") != std::string::npos);
    CHECK(r.body.find("kaboom") == std::string::npos);
}

TEST_CASE("rate limit per client address: 429 with Retry-After") {
    Fixture f(3);
    for (int i = 0; i < 3; ++i) CHECK(f.send(Method::Get, "/open/1").status == 200);
    auto limited = f.send(Method::Get, "/open/1");
    CHECK(limited.status == 429);
    CHECK(code_of(limited) == "rate_limited");
    CHECK(limited.header("Retry-After"));
    CHECK(f.send(Method::Get, "/open/1", {}, {}, "10.0.0.2").status == 200);
}

TEST_CASE("X-Forwarded-For counts only from a trusted proxy") {
    core::Config config;
    config.rate_limit.rps = 1;
    config.rate_limit.burst = 1;
    config.server.trusted_proxies = {"127.0.0.0/8"};
    core::Metrics metrics;
    InlineScheduler sched;
    gateway::Gateway gw(config, metrics, sched);
    gw.get("/x", {}, [](http::Context& c) { return http::Response::json({{"ip", c.request().client_ip}}); });
    auto ip_of = [&](std::string peer, std::string xff) {
        http::Request r;
        r.path = "/x";
        r.client_ip = std::move(peer);
        r.headers = {{"X-Forwarded-For", std::move(xff)}};
        http::Response out;
        gw.handle(std::move(r), [&](http::Response res) { out = std::move(res); });
        return out.status == 200 ? nlohmann::json::parse(out.body)["ip"].get<std::string>() : "limited";
    };
    CHECK(ip_of("127.0.0.1", "1.1.1.1, 2.2.2.2") == "2.2.2.2");
    CHECK(ip_of("127.0.0.1", "3.3.3.3, 127.0.0.5") == "3.3.3.3");
    CHECK(ip_of("9.9.9.9", "4.4.4.4") == "9.9.9.9");
}

TEST_CASE("every X-Forwarded-For line counts, and IPv6 clients share a limit per /64") {
    core::Config config;
    config.rate_limit.rps = 1;
    config.rate_limit.burst = 2;
    config.server.trusted_proxies = {"127.0.0.0/8"};
    core::Metrics metrics;
    InlineScheduler sched;
    gateway::Gateway gw(config, metrics, sched);
    gw.get("/x", {}, [](http::Context& c) {
        return http::Response::json({{"ip", c.request().client_ip}, {"key", c.request().client_key}});
    });
    auto send = [&](http::Headers headers) {
        http::Request r;
        r.path = "/x";
        r.client_ip = "127.0.0.1";
        r.headers = std::move(headers);
        http::Response out;
        gw.handle(std::move(r), [&](http::Response res) { out = std::move(res); });
        return out;
    };
    // A line the client wrote comes first; the proxy's line, last, names the client.
    auto r = send({{"X-Forwarded-For", "6.6.6.6"}, {"X-Forwarded-For", "5.5.5.5"}});
    REQUIRE(r.status == 200);
    CHECK(nlohmann::json::parse(r.body)["ip"] == "5.5.5.5");
    r = send({{"X-Forwarded-For", "2001:db8:1:2::1"}});
    REQUIRE(r.status == 200);
    CHECK(nlohmann::json::parse(r.body)["key"] == "2001:db8:1:2::/64");
    CHECK(send({{"X-Forwarded-For", "2001:db8:1:2:aaaa::9"}}).status == 200);
    CHECK(send({{"X-Forwarded-For", "2001:db8:1:2:ffff::1"}}).status == 429);  // same /64, burst spent
    CHECK(send({{"X-Forwarded-For", "2001:db8:1:3::1"}}).status == 200);

    CHECK(gateway::ClientAddress::limit_key("192.0.2.7") == "192.0.2.7");
    CHECK(gateway::ClientAddress::limit_key("::ffff:192.0.2.7") == "::ffff:192.0.2.7");
    CHECK(gateway::ClientAddress::limit_key("fe80::1:2:3:4") == "fe80::/64");
    CHECK(gateway::ClientAddress::limit_key("not an address") == "not an address");
}

TEST_CASE("a route is matched on segments decoded one by one") {
    Fixture f;
    http::Request r;
    r.path = "/open/a/b";  // what decoding "/open/a%2Fb" whole would give
    r.segments = std::vector<std::string>{"open", "a/b"};
    r.client_ip = "10.0.0.9";
    http::Response out;
    f.gw->handle(std::move(r), [&](http::Response res) { out = std::move(res); });
    REQUIRE(out.status == 200);
    CHECK(nlohmann::json::parse(out.body)["id"] == "a/b");
}

TEST_CASE("CORS: allowed origins only") {
    Fixture f;
    auto allowed = f.send(Method::Get, "/open/1", {{"Origin", "https://shop.example"}});
    CHECK(allowed.header("Access-Control-Allow-Origin") == "https://shop.example");
    CHECK_FALSE(f.send(Method::Get, "/open/1", {{"Origin", "https://evil.example"}}).header("Access-Control-Allow-Origin"));
    auto pre = f.send(Method::Options, "/open/1",
                      {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "POST"}});
    CHECK(pre.status == 204);
    CHECK(pre.header("Access-Control-Allow-Methods"));
    auto denied = f.send(Method::Options, "/open/1",
                         {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    CHECK_FALSE(denied.header("Access-Control-Allow-Origin"));
}

TEST_CASE("metrics count requests by route and status") {
    Fixture f;
    f.send(Method::Get, "/open/1");
    f.send(Method::Get, "/nope");
    std::string text = f.metrics.render();
    CHECK(text.find(R"(shopd_http_requests_total{route="/open/{id}",method="GET",status="200"} 1)") != std::string::npos);
    CHECK(text.find(R"(route="unmatched",method="GET",status="404")") != std::string::npos);
    CHECK(text.find("shopd_http_request_duration_seconds_bucket") != std::string::npos);
}
