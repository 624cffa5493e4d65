#include <algorithm>
#include <catch2/catch.hpp>

#include "problem.hpp"
#include <nlohmann/json.hpp>

#include "user/rules.hpp"
#include "user_fixture.hpp"

using namespace shop;
using test::api_error_of;

namespace {
nlohmann::json events_of(test::UserFixture& f, const std::string& type) {
    return f.t.db().read([&](db::Conn& c) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : c.query("SELECT data FROM events WHERE type = ? ORDER BY seq", type))
            out.push_back(nlohmann::json::parse(r.str(0)));
        return out;
    });
}

user::NewAddress home() {
    return {"Ann Lee", "1 Main St", std::nullopt, "Springfield", "12345", "US"};
}
}  // namespace

TEST_CASE("registration stores a hash, never the password, and emits user.registered") {
    test::UserFixture f;
    auto u = f.customer("ann@example.com", "password-1");
    CHECK(u.id.rfind("usr_", 0) == 0);
    CHECK(u.role == http::Role::Customer);
    CHECK(u.created_at_ms == f.now);
    auto hash = f.t.db().read([&](db::Conn& c) { return *f.users.password_hash(c, u.id); });
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(hash.find("password-1") == std::string::npos);
    auto ev = events_of(f, "user.registered");
    REQUIRE(ev.size() == 1);
    CHECK(ev[0] == nlohmann::json{{"user_id", u.id}});
}

TEST_CASE("an email is taken whatever its case") {
    test::UserFixture f;
    f.customer(user::normalize_email("Ann@Example.com"));
    auto e = api_error_of([&] { f.customer(user::normalize_email("  ANN@example.COM ")); });
    CHECK(test::status_of(e) == 409);
    CHECK(e.code() == "email_taken");
    CHECK(f.count("SELECT COUNT(*) FROM users") == 1);
    CHECK(events_of(f, "user.registered").size() == 1);  // the refused one left no event
}

TEST_CASE("create_if_absent makes the admin once") {
    test::UserFixture f;
    user::NewAccount admin{"root@example.com", "admin-password", "Administrator", http::Role::Admin};
    CHECK(f.accounts.create_if_absent(admin));
    CHECK_FALSE(f.accounts.create_if_absent(admin));
    CHECK(f.accounts.find_by_email("root@example.com")->role == http::Role::Admin);
    CHECK(f.count("SELECT COUNT(*) FROM users") == 1);
}

TEST_CASE("profile: name changes; a password change needs the current password") {
    test::UserFixture f;
    auto u = f.customer();
    CHECK(f.accounts.update_profile(u.id, {"Ann B.", std::nullopt, std::nullopt}, "10.0.0.1").name == "Ann B.");

    auto missing = api_error_of([&] {
        f.accounts.update_profile(u.id, {std::nullopt, "new-password", std::nullopt}, "ip");
    });
    CHECK(test::status_of(missing) == 422);
    REQUIRE(missing.errors().size() == 1);
    CHECK(missing.errors()[0].field == "current_password");

    auto wrong = api_error_of([&] {
        f.accounts.update_profile(u.id, {std::nullopt, "new-password", "not-it-1"}, "ip");
    });
    CHECK(test::status_of(wrong) == 422);
    CHECK(wrong.code() == "validation_failed");
    CHECK(wrong.errors()[0].field == "current_password");
    CHECK(f.count("SELECT COUNT(*) FROM login_failures") == 1);  // a guess, counted like one

    auto session = f.auth.login("ann@example.com", "password-1", "ip");
    f.accounts.update_profile(u.id, {std::nullopt, "new-password", "password-1"}, "ip");
    CHECK(test::status_of(api_error_of([&] { f.auth.login("ann@example.com", "password-1", "ip"); })) == 401);
    CHECK_NOTHROW(f.auth.login("ann@example.com", "new-password", "ip"));
    // The change ends the sessions that existed before it.
    CHECK(test::status_of(api_error_of([&] { f.auth.refresh(session.refresh_token); })) == 401);
}

TEST_CASE("role changes: 404 for an unknown id, an event only when the role changes") {
    test::UserFixture f;
    auto u = f.customer();
    CHECK(test::status_of(api_error_of([&] { f.accounts.change_role("usr_nope", http::Role::Admin); })) == 404);
    CHECK(f.accounts.change_role(u.id, http::Role::Admin).role == http::Role::Admin);
    CHECK(f.accounts.change_role(u.id, http::Role::Admin).role == http::Role::Admin);
    CHECK(f.accounts.find(u.id)->role == http::Role::Admin);
    auto ev = events_of(f, "user.role_changed");
    REQUIRE(ev.size() == 1);
    CHECK(ev[0] == nlohmann::json{{"user_id", u.id}, {"role", "admin"}});
}

TEST_CASE("the last admin cannot be demoted") {
    test::UserFixture f;
    auto a = f.customer("a@example.com");
    auto b = f.customer("b@example.com");
    f.accounts.change_role(a.id, http::Role::Admin);
    auto last = api_error_of([&] { f.accounts.change_role(a.id, http::Role::Customer); });
    CHECK(last.code() == "last_admin");
    CHECK(test::status_of(last) == 409);
    CHECK(f.accounts.find(a.id)->role == http::Role::Admin);
    f.accounts.change_role(b.id, http::Role::Admin);  // with a second admin, either may step down
    CHECK(f.accounts.change_role(a.id, http::Role::Customer).role == http::Role::Customer);
    CHECK(api_error_of([&] { f.accounts.change_role(b.id, http::Role::Customer); }).code() == "last_admin");
}

TEST_CASE("the admin list pages newest first without gaps or repeats") {
    test::UserFixture f;
    std::vector<std::pair<std::int64_t, std::string>> made;
    for (int i = 0; i < 7; ++i) {
        if (i != 3) f.now += 1;  // two users in the same millisecond: the id breaks the tie
        auto u = f.customer("u" + std::to_string(i) + "@example.com");
        made.emplace_back(u.created_at_ms, u.id);
    }
    std::sort(made.begin(), made.end(), std::greater<>());
    std::vector<std::string> expected;
    for (const auto& m : made) expected.push_back(m.second);

    std::vector<std::string> seen;
    std::optional<user::ListKey> before;
    for (int guard = 0; guard < 10; ++guard) {
        auto page = f.accounts.list(before, 3);
        for (const auto& u : page) seen.push_back(u.id);
        if (page.size() < 3) break;
        before = user::ListKey{page.back().created_at_ms, page.back().id};
    }
    CHECK(seen == expected);
    CHECK(made[0].first - made[6].first == 5);
}

TEST_CASE("addresses belong to their owner only") {
    test::UserFixture f;
    auto ann = f.customer("ann@example.com");
    auto bob = f.customer("bob@example.com");
    auto a = f.addresses.create(ann.id, home());
    CHECK(a.id.rfind("addr_", 0) == 0);
    CHECK(f.addresses.list(ann.id, std::nullopt, 10).size() == 1);
    CHECK(f.addresses.list(bob.id, std::nullopt, 10).empty());
    CHECK_FALSE(f.addresses.find(bob.id, a.id));
    CHECK(test::status_of(api_error_of([&] { f.addresses.remove(bob.id, a.id); })) == 404);

    // What the order module sees through api::Users.
    api::Users& users = f.addresses;
    auto seen = f.t.db().read([&](db::Conn& c) { return users.address(c, ann.id, a.id); });
    REQUIRE(seen);
    CHECK(seen->city == "Springfield");
    CHECK_FALSE(f.t.db().read([&](db::Conn& c) { return users.address(c, bob.id, a.id); }));
    CHECK(users.to_json(*seen) == nlohmann::json{{"name", "Ann Lee"},
                                                 {"line1", "1 Main St"},
                                                 {"city", "Springfield"},
                                                 {"postal_code", "12345"},
                                                 {"country", "US"}});
    auto with_line2 = home();
    with_line2.line2 = "Apt 4";
    CHECK(users.to_json(f.addresses.create(ann.id, with_line2))["line2"] == "Apt 4");

    f.addresses.remove(ann.id, a.id);
    CHECK(test::status_of(api_error_of([&] { f.addresses.remove(ann.id, a.id); })) == 404);
    CHECK(f.addresses.list(ann.id, std::nullopt, 10).size() == 1);
}

TEST_CASE("an address keeps its region, and one without a region shows none") {
    test::UserFixture f;
    auto ann = f.customer("ann@example.com");
    auto with_region = home();
    with_region.region = "US-CA";
    auto a = f.addresses.create(ann.id, with_region);
    auto b = f.addresses.create(ann.id, home());
    CHECK(a.region == "US-CA");

    auto found = f.addresses.find(ann.id, a.id);
    REQUIRE(found);
    CHECK(found->region == "US-CA");
    auto listed = f.addresses.list(ann.id, std::nullopt, 10);
    REQUIRE(listed.size() == 2);
    for (const auto& row : listed) {
        INFO(row.address.id);
        CHECK(row.address.region == (row.address.id == a.id ? a.region : std::nullopt));
    }

    // The order module reads it through api::Users; like line2, an absent region is left out.
    api::Users& users = f.addresses;
    auto seen = f.t.db().read([&](db::Conn& c) { return users.address(c, ann.id, a.id); });
    REQUIRE(seen);
    CHECK(seen->region == "US-CA");
    CHECK(users.to_json(*seen)["region"] == "US-CA");
    CHECK_FALSE(users.to_json(*f.addresses.find(ann.id, b.id)).contains("region"));
}

TEST_CASE("addresses saved before user migration 3 read with no region") {
    db::Migrator all, before;
    user::add_migrations(all);
    for (const auto& mig : all.migrations())
        if (mig.version < 3) before.add(mig.module, mig.version, mig.sqlite_sql, mig.postgres_sql);
    REQUIRE(before.migrations().size() == 2);
    test::TestDb t(before);
    t.db().write([](db::Tx& tx) {
        tx.exec(
            "INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) "
            "VALUES ('usr_1', 'ann@example.com', 'Ann', 'customer', 'x', 1, 1)");
        tx.exec(
            "INSERT INTO addresses (id, user_id, name, line1, line2, city, postal_code, country, created_at) "
            "VALUES ('addr_1', 'usr_1', 'Ann', '1 Main St', NULL, 'Springfield', '12345', 'US', 1)");
    });
    t.db().migrate(all.migrations());  // applies ("user", 3) and the later ones
    user::AddressRepository repo;
    auto a = t.db().read([&](db::Conn& c) { return repo.find(c, "usr_1", "addr_1"); });
    REQUIRE(a);
    CHECK(a->country == "US");
    CHECK_FALSE(a->region);
}
