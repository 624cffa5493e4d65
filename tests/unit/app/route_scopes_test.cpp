// The whole shop's route table, composed as main() composes it (app/compose.hpp): every
// admin route names the API-key scope it needs (API.md section 12), the few that no key may
// call are exactly the ones meant, and each scope is the one its path and method call for.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <utility>

#include "app/compose.hpp"
#include "shop/core/log.hpp"
#include "temp_dir.hpp"

using namespace shop;
using http::Auth;
using http::Method;
using http::Scope;

namespace {
using Key = std::pair<Method, std::string>;

// Admin routes no API key may call: user roles and the API-key routes themselves.
const std::set<Key> kKeyless = {
    {Method::Patch, "/api/v1/users/{id}"},
    {Method::Post, "/api/v1/api-keys"},
    {Method::Get, "/api/v1/api-keys"},
    {Method::Delete, "/api/v1/api-keys/{id}"},
};

// The scope a route's path and method call for, or nullopt when this test does not know the
// path yet (add it here with the scope API.md gives it).
std::optional<Scope> expected_scope(Method m, const std::string& path) {
    auto under = [&](std::string_view prefix) { return path.starts_with(prefix); };
    const bool read = m == Method::Get || m == Method::Head;
    if (under("/api/v1/products") || under("/api/v1/categories"))
        return read ? Scope::CatalogRead : Scope::CatalogWrite;
    if (under("/api/v1/orders") || under("/api/v1/returns") || under("/api/v1/payments"))
        return read ? Scope::OrdersRead : Scope::OrdersWrite;
    if (under("/api/v1/users") && read) return Scope::CustomersRead;
    if (under("/api/v1/analytics") || under("/api/v1/events")) return Scope::AnalyticsRead;
    // No settings:read or webhooks:read scope exists: the write scope covers the reads.
    if (under("/api/v1/shipping") || under("/api/v1/tax") || under("/api/v1/discounts")) return Scope::SettingsWrite;
    if (under("/api/v1/webhook-endpoints")) return Scope::WebhooksWrite;
    return std::nullopt;
}

std::string name_of(const http::Route& r) { return std::string(http::to_string(r.method)) + " " + r.pattern; }

struct Shop {
    test::TempDir dir;
    std::unique_ptr<app::App> app;
    Shop() {
        core::Config c;
        c.db = dir.file("shop.db");
        c.server.workers = 1;
        (*c.settings).set("auth.jwt_secret", std::string(48, 'k'));
        log::set_level(log::Level::Error);
        app = std::make_unique<app::App>(c);
        app::compose(*app);
        app->prepare();
    }
};
}  // namespace

TEST_CASE("every admin route names its API-key scope, except the ones no key may call") {
    Shop shop;
    const auto& routes = shop.app->gateway().router().routes();
    REQUIRE(routes.size() > 50);
    std::set<Key> keyless_seen;
    for (const auto& r : routes) {
        INFO(name_of(r));
        if (r.policy.auth == Auth::Public) {
            CHECK(r.policy.scope == Scope::None);  // a public route never looks at a key
            continue;
        }
        if (r.policy.scope == Scope::None) {
            // A customer route (cart, users/me, paying) or a deliberately key-less admin route.
            if (r.policy.auth == Auth::Admin) {
                CHECK(kKeyless.count({r.method, r.pattern}) == 1);
                keyless_seen.insert({r.method, r.pattern});
            }
            continue;
        }
        auto expected = expected_scope(r.method, r.pattern);
        REQUIRE(expected);
        CHECK(http::to_string(r.policy.scope) == http::to_string(*expected));
    }
    CHECK(keyless_seen == kKeyless);
}

TEST_CASE("customer routes that also serve admins let a key with the scope in, and no others") {
    Shop shop;
    // Read by their owner or an admin: a key reads them as an admin would.
    const std::set<Key> admin_or_owner = {
        {Method::Get, "/api/v1/orders"},
        {Method::Get, "/api/v1/orders/{id}"},
        {Method::Post, "/api/v1/orders/{id}/cancel"},
        {Method::Get, "/api/v1/orders/{id}/returns"},
        {Method::Get, "/api/v1/returns/{id}"},
        {Method::Get, "/api/v1/payments/{id}"},
        {Method::Get, "/api/v1/orders/{id}/payments"},
    };
    std::set<Key> scoped;
    for (const auto& r : shop.app->gateway().router().routes())
        if ((r.policy.auth == Auth::User || r.policy.auth == Auth::Optional) && r.policy.scope != Scope::None)
            scoped.insert({r.method, r.pattern});
    CHECK(scoped == admin_or_owner);
}
