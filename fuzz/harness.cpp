#include "harness.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/compose.hpp"
#include "shop/core/log.hpp"

namespace shop::fuzz {

namespace {

[[noreturn]] void fail(const char* what, const http::Request& req, const http::Response& res) {
    std::fprintf(stderr, "FUZZ FAILURE: %s\n%s %s\nstatus %d\n%s\n", what, std::string(http::to_string(req.method)).c_str(),
                 req.target.c_str(), res.status, res.body.substr(0, 2000).c_str());
    std::abort();
}

bool clean(std::string_view s) {
    for (char c : s)
        if (c == '\r' || c == '\n' || c == '\0') return false;
    return true;
}

struct Shop {
    std::filesystem::path dir;
    std::unique_ptr<app::App> app;
    Ids ids;

    Shop() {
        char tmpl[] = "/tmp/shopd-fuzz-XXXXXX";
        if (!mkdtemp(tmpl)) std::abort();
        dir = tmpl;
        core::Config c;
        c.db = (dir / "shop.db").string();
        c.server.workers = 1;
        c.rate_limit.rps = 0;  // the fuzzer is one very busy client
        auto& s = *c.settings;  // the modules' own settings, as flags would give them
        s.set("auth.jwt_secret", std::string(48, 'k'));
        s.set("auth.argon2_ops", "1");
        s.set("auth.argon2_mem_kib", "8");
        s.set("auth.admin_email", "admin@fuzz.test");
        s.set("auth.admin_password", "admin-password-1");
        s.set("auth.login_max_failures_email", "1000000");
        s.set("auth.login_max_failures_ip", "1000000");
        s.set("payments.webhook_secret", "whsec_fuzz_secret_fuzz_secret_0123");
        log::set_level(log::Level::Error);
        app = std::make_unique<app::App>(c);
        app::compose(*app);
        app->prepare();
        app->gateway().set_state(gateway::State::Ready);
    }
};

Shop& shop() {
    // Deliberately never destroyed: libFuzzer exits from many places, and the App's
    // destructor joins threads; the OS reclaims everything (the temp dir is removed at exit).
    static Shop* s = [] {
        auto* p = new Shop();
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(shop().dir, ec);
        });
        return p;
    }();
    return *s;
}

http::Response raw_call(http::Request req) {
    std::promise<http::Response> done;
    auto fut = done.get_future();
    shop().app->gateway().handle(std::move(req), [&done](http::Response r) { done.set_value(std::move(r)); });
    return fut.get();
}

nlohmann::json post_json(const std::string& target, const nlohmann::json& body, const std::string& token,
                         int expect, std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto req = make(http::Method::Post, target, body.dump(), token);
    for (auto& h : headers) req.headers.push_back(h);
    auto res = raw_call(std::move(req));
    if (res.status != expect) {
        std::fprintf(stderr, "fuzz harness setup: POST %s gave %d: %s\n", target.c_str(), res.status, res.body.c_str());
        std::abort();
    }
    return res.body.empty() ? nlohmann::json() : nlohmann::json::parse(res.body);
}

void seed(Ids& ids) {
    using nlohmann::json;
    auto login = [](const std::string& email, const std::string& pw) {
        return post_json("/api/v1/auth/login", {{"email", email}, {"password", pw}}, "", 200);
    };
    auto admin = login("admin@fuzz.test", "admin-password-1");
    ids.admin_token = admin["access_token"];
    post_json("/api/v1/users", {{"email", "user@fuzz.test"}, {"password", "user-password-1"}, {"name", "U"}}, "", 201);
    post_json("/api/v1/users", {{"email", "other@fuzz.test"}, {"password", "user-password-1"}, {"name", "O"}}, "",
              201);
    auto user = login("user@fuzz.test", "user-password-1");
    ids.user_token = user["access_token"];
    ids.user_id = user["user"]["id"];
    ids.refresh_token = user["refresh_token"];
    ids.other_token = login("other@fuzz.test", "user-password-1")["access_token"];
    ids.category_id = post_json("/api/v1/categories", {{"name", "Fuzz"}}, ids.admin_token, 201)["id"];
    ids.product_id = post_json("/api/v1/products",
                               {{"sku", "FUZZ-1"}, {"name", "Fuzzy socks"}, {"description", "warm and fuzzy"},
                                {"price", 1299}, {"stock", 1000000}, {"category_id", ids.category_id}},
                               ids.admin_token, 201)["id"];
    ids.address_id = post_json("/api/v1/users/me/addresses",
                               {{"name", "U"}, {"line1", "1 Main St"}, {"city", "Town"}, {"postal_code", "12345"},
                                {"country", "US"}},
                               ids.user_token, 201)["id"];
    json addr = {{"name", "U"}, {"line1", "1 Main St"}, {"city", "Town"}, {"postal_code", "12345"}, {"country", "US"}};
    ids.order_id = post_json("/api/v1/orders",
                             {{"items", json::array({{{"product_id", ids.product_id}, {"quantity", 1}}})},
                              {"shipping_address", addr}},
                             ids.user_token, 201)["id"];
    ids.payment_id =
        post_json("/api/v1/payments",
                  {{"order_id", ids.order_id},
                   {"card", {{"number", "4242424242424242"}, {"exp_month", 12}, {"exp_year", 2040}, {"cvc", "123"}}}},
                  ids.user_token, 201, {{"Idempotency-Key", "fuzz-seed-payment"}})["id"];
}

}  // namespace

const Ids& ids() {
    static const Ids* seeded = [] {
        shop();
        auto* i = new Ids();
        seed(*i);
        return i;
    }();
    return *seeded;
}

http::Request make(http::Method m, std::string target, std::string body, std::string bearer) {
    http::Request r;
    r.method = m;
    r.target = std::move(target);
    auto q = r.target.find('?');
    auto path = http::percent_decode(std::string_view(r.target).substr(0, q), false);
    r.path = path ? *path : std::string("/");
    if (q != std::string::npos) r.query_string = r.target.substr(q + 1);
    r.body = std::move(body);
    if (!bearer.empty()) r.headers.emplace_back("Authorization", "Bearer " + bearer);
    if (!r.body.empty()) r.headers.emplace_back("Content-Type", "application/json");
    return r;
}

std::string with_ids(std::string s) {
    const Ids& i = ids();
    const std::pair<const char*, const std::string*> subs[] = {
        {"{product}", &i.product_id}, {"{category}", &i.category_id}, {"{order}", &i.order_id},
        {"{payment}", &i.payment_id}, {"{address}", &i.address_id},   {"{user}", &i.user_id}};
    for (auto [from, to] : subs)
        for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to->size()))
            s.replace(p, std::string_view(from).size(), *to);
    return s;
}

http::Response call(http::Request req) {
    const Ids& i = ids();
    if (req.client_ip.empty()) req.client_ip = "127.0.0.1";
    for (auto& [k, v] : req.headers) {
        if (!http::iequals(k, "Authorization")) continue;
        if (v == "Bearer @admin") v = "Bearer " + i.admin_token;
        else if (v == "Bearer @user") v = "Bearer " + i.user_token;
        else if (v == "Bearer @other") v = "Bearer " + i.other_token;
    }
    http::Request copy = req;
    http::Response res = raw_call(std::move(req));
    // 503 is the database saying "busy, retry": allowed by the contract, never seen here.
    if (res.status < 100 || res.status > 599 || (res.status >= 500 && res.status != 503))
        fail("server error for a client's request", copy, res);
    for (const auto& [k, v] : res.headers)
        if (!clean(k) || !clean(v)) fail("CR, LF or NUL in a response header", copy, res);
    if (res.status >= 400 && !res.body.empty()) {
        auto j = nlohmann::json::parse(res.body, nullptr, false);
        if (j.is_discarded() || !j.contains("code") || !j["code"].is_string())
            fail("an error without a problem+json code", copy, res);
    }
    return res;
}

}  // namespace shop::fuzz
