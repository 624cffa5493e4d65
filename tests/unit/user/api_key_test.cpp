#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "shop/core/digest.hpp"
#include "shop/core/time.hpp"
#include "user/api_key_handlers.hpp"
#include "user/api_key_service.hpp"
#include "user/bearer.hpp"
#include "user_fixture.hpp"

using namespace shop;
using http::Scope;
using test::api_error_of;

namespace {
struct KeyFixture : test::UserFixture {
    user::ApiKeyRepository repo;
    user::ApiKeyService keys{t.db(), repo, clock};
    user::BearerVerifier bearer{jwt, keys};

    std::optional<std::int64_t> last_used(const std::string& id) {
        return t.db().read([&](db::Conn& c) { return repo.find(c, id)->last_used_at_ms; });
    }
};

// The handler's answer to POST /api/v1/api-keys with `body`, as an admin.
http::Response post_key(user::ApiKeyHandlers& h, const std::string& body) {
    http::Request req;
    req.method = http::Method::Post;
    req.body = body;
    http::Context ctx(req, {}, http::Principal{"usr_admin", http::Role::Admin});
    return h.create(ctx);
}

std::vector<std::string> fields_of(const shop::Error& e) {
    std::vector<std::string> out;
    for (const auto& fe : e.errors()) out.push_back(fe.field);
    return out;
}
}  // namespace

TEST_CASE("a new key is 256 random bits after sk_, kept only as its SHA-256") {
    KeyFixture f;
    auto a = f.keys.create({"accounting", {Scope::OrdersRead, Scope::CatalogRead}}, "usr_admin");
    auto b = f.keys.create({"warehouse", {Scope::OrdersWrite}}, "usr_admin");
    CHECK(a.secret.starts_with("sk_"));
    CHECK(a.secret.size() == 3 + 43);
    CHECK(user::ApiKeyService::well_formed(a.secret));
    CHECK(a.secret != b.secret);
    CHECK(a.key.id.starts_with("key_"));
    // Kept in the order of http::Scope, whatever order they were asked in.
    CHECK(a.key.scopes == std::vector{Scope::CatalogRead, Scope::OrdersRead});
    CHECK_FALSE(a.key.last_used_at_ms);
    auto stored = f.t.db().read([&](db::Conn& c) {
        return c.query_one("SELECT key_hash, scopes, name FROM api_keys WHERE id = ?", a.key.id);
    });
    REQUIRE(stored);
    CHECK(stored->str(0) == core::sha256_hex(a.secret));
    CHECK(stored->str(1) == "catalog:read orders:read");
    CHECK(stored->str(2) == "accounting");
    CHECK(f.count("SELECT COUNT(*) FROM api_keys WHERE key_hash LIKE '%sk_%' OR scopes LIKE '%sk_%'") == 0);
}

TEST_CASE("a key authenticates until revoked; anything else never does") {
    KeyFixture f;
    auto k = f.keys.create({"reader", {Scope::CatalogRead}}, "usr_admin");
    auto found = f.keys.authenticate(k.secret);
    REQUIRE(found);
    CHECK(found->id == k.key.id);
    CHECK(found->scopes == std::vector{Scope::CatalogRead});

    std::string near = k.secret;
    near.back() = near.back() == 'A' ? 'B' : 'A';
    CHECK_FALSE(f.keys.authenticate(near));
    CHECK_FALSE(f.keys.authenticate(k.secret.substr(0, k.secret.size() - 1)));
    CHECK_FALSE(f.keys.authenticate(k.secret + "A"));
    CHECK_FALSE(f.keys.authenticate("sk_"));
    CHECK_FALSE(f.keys.authenticate("sk_" + std::string(42, 'a') + "="));
    CHECK_FALSE(f.keys.authenticate("pk_" + k.secret.substr(3)));

    f.keys.revoke(k.key.id);
    CHECK_FALSE(f.keys.authenticate(k.secret));
    CHECK(api_error_of([&] { f.keys.revoke(k.key.id); }).code() == "not_found");
    CHECK(api_error_of([&] { f.keys.revoke("key_unknown"); }).code() == "not_found");
}

TEST_CASE("last_used_at is written on use, at most once a minute per key") {
    KeyFixture f;
    auto k = f.keys.create({"reader", {Scope::CatalogRead}}, "usr_admin");
    CHECK_FALSE(f.last_used(k.key.id));
    const std::int64_t first = f.now;
    REQUIRE(f.keys.authenticate(k.secret));
    CHECK(f.last_used(k.key.id) == first);
    f.now += user::ApiKeyService::kTouchIntervalMs - 1;
    REQUIRE(f.keys.authenticate(k.secret));
    CHECK(f.last_used(k.key.id) == first);  // within the minute: not written again
    f.now += 1;
    REQUIRE(f.keys.authenticate(k.secret));
    CHECK(f.last_used(k.key.id) == f.now);
}

TEST_CASE("keys are listed newest first, page by page") {
    KeyFixture f;
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        ids.push_back(f.keys.create({"k" + std::to_string(i), {Scope::CatalogRead}}, "usr_admin").key.id);
        f.now += 1000;
    }
    auto first = f.keys.list(std::nullopt, 3);
    REQUIRE(first.size() == 3);
    CHECK(first[0].id == ids[4]);
    CHECK(first[2].id == ids[2]);
    auto rest = f.keys.list(user::ListKey{first[2].created_at_ms, first[2].id}, 3);
    REQUIRE(rest.size() == 2);
    CHECK(rest[0].id == ids[1]);
    CHECK(rest[1].id == ids[0]);
    auto json = user::api_key_json(first[0]);
    CHECK_FALSE(json.contains("key"));
    CHECK(json["last_used_at"].is_null());
    CHECK(json["scopes"] == nlohmann::json::array({"catalog:read"}));
}

TEST_CASE("the bearer hook: sk_ tokens are keys acting as admins within their scopes, others JWTs") {
    KeyFixture f;
    auto k = f.keys.create({"orders", {Scope::OrdersRead, Scope::OrdersWrite}}, "usr_admin");
    auto p = f.bearer.verify(k.secret);
    REQUIRE(p);
    CHECK(p->is_api_key());
    CHECK(p->is_admin());
    CHECK(p->user_id == k.key.id);
    CHECK(p->may_use(Scope::OrdersRead));
    CHECK(p->may_use(Scope::OrdersWrite));
    CHECK_FALSE(p->may_use(Scope::CatalogRead));
    CHECK_FALSE(p->may_use(Scope::None));

    auto u = f.customer();
    auto jwt_principal = f.bearer.verify(f.jwt.issue(u.id, http::Role::Admin, core::now_ms() / 1000));
    REQUIRE(jwt_principal);
    CHECK_FALSE(jwt_principal->is_api_key());
    CHECK(jwt_principal->may_use(Scope::None));  // a user's token: its role decides, not scopes
    CHECK_FALSE(f.bearer.verify("sk_not-a-key"));
    f.keys.revoke(k.key.id);
    CHECK_FALSE(f.bearer.verify(k.secret));
}

TEST_CASE("creating a key: name and a non-empty list of known, distinct scopes, else 422 naming the field") {
    KeyFixture f;
    user::ApiKeyHandlers h(f.keys);
    auto ok = post_key(h, R"({"name":" Accounting ","scopes":["orders:read","catalog:read"]})");
    CHECK(ok.status == 201);
    CHECK(ok.header("Cache-Control") == "no-store");
    auto body = nlohmann::json::parse(ok.body);
    CHECK(body["name"] == "Accounting");
    CHECK(body["scopes"] == nlohmann::json::array({"catalog:read", "orders:read"}));
    CHECK(body["key"].get<std::string>().starts_with("sk_"));
    CHECK(f.keys.authenticate(body["key"].get<std::string>()));

    auto bad = [&](const std::string& json) { return api_error_of([&] { post_key(h, json); }); };
    CHECK(fields_of(bad(R"({"scopes":["orders:read"]})")) == std::vector<std::string>{"name"});
    CHECK(fields_of(bad(R"({"name":"  ","scopes":["orders:read"]})")) == std::vector<std::string>{"name"});
    CHECK(fields_of(bad(R"({"name":")" + std::string(101, 'x') + R"(","scopes":["orders:read"]})")) ==
          std::vector<std::string>{"name"});
    CHECK(fields_of(bad(R"({"name":"x"})")) == std::vector<std::string>{"scopes"});
    CHECK(fields_of(bad(R"({"name":"x","scopes":[]})")) == std::vector<std::string>{"scopes"});
    CHECK(fields_of(bad(R"({"name":"x","scopes":"orders:read"})")) == std::vector<std::string>{"scopes"});
    auto unknown = bad(R"({"name":"x","scopes":["orders:read","orders:delete",7,"orders:read"]})");
    CHECK(unknown.code() == "validation_failed");
    CHECK(fields_of(unknown) == std::vector<std::string>{"scopes[1]", "scopes[2]", "scopes[3]"});
    CHECK(fields_of(bad(R"({"name":"x","scopes":["orders:read"],"role":"admin"})")) ==
          std::vector<std::string>{"role"});
    CHECK(f.count("SELECT COUNT(*) FROM api_keys") == 1);  // nothing made by a refused request
}
