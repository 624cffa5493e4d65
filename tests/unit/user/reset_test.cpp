#include <catch2/catch.hpp>

#include "problem.hpp"
#include "user_fixture.hpp"

using namespace shop;
using test::api_error_of;

namespace {
const char* kIp = "10.0.0.1";

std::string invalid_token_code(test::UserFixture& f, const std::string& token, const std::string& password) {
    auto e = api_error_of([&] { f.resets.confirm(token, password); });
    CHECK(test::status_of(e) == 400);
    return e.code();
}
}  // namespace

TEST_CASE("access tokens carry the user's token generation, which password and role changes raise") {
    test::UserFixture f;
    auto u = f.customer();
    CHECK(f.generation(u.id) == 0);
    auto s = f.auth.login("ann@example.com", "password-1", kIp);
    CHECK(f.jwt.decode(s.access_token, f.now / 1000)->gen == 0);

    f.accounts.update_profile(u.id, {std::nullopt, "password-2", "password-1"}, kIp);
    CHECK(f.generation(u.id) == 1);
    f.accounts.update_profile(u.id, {"Ann B", std::nullopt, std::nullopt}, kIp);  // a name is not a password
    CHECK(f.generation(u.id) == 1);
    f.accounts.change_role(u.id, http::Role::Admin);
    CHECK(f.generation(u.id) == 2);
    f.accounts.change_role(u.id, http::Role::Admin);  // no change, nothing ended
    CHECK(f.generation(u.id) == 2);

    auto again = f.auth.login("ann@example.com", "password-2", kIp);
    CHECK(f.jwt.decode(again.access_token, f.now / 1000)->gen == 2);
    CHECK(f.jwt.decode(f.auth.refresh(again.refresh_token).access_token, f.now / 1000)->gen == 2);
}

TEST_CASE("a reset request makes a token kept only as a hash and hands the mail its token") {
    test::UserFixture f;
    auto u = f.customer();
    f.resets.request("ann@example.com");
    REQUIRE(f.reset_mails.size() == 1);
    const auto& mail = f.reset_mails.front();
    CHECK(mail.user.id == u.id);
    CHECK(mail.user.email == "ann@example.com");
    CHECK(mail.token.size() >= 43);  // 32 random bytes
    CHECK(mail.expires_at_ms == f.now + 3600 * 1000);
    auto stored = f.t.db().read(
        [](db::Conn& c) { return c.query("SELECT token_hash, user_id FROM password_resets").front(); });
    CHECK(stored.str(0) == user::token_hash(mail.token));
    CHECK(stored.str(1) == u.id);
}

TEST_CASE("an unknown email does the same writes and sends nothing") {
    test::UserFixture f;
    f.customer();
    f.resets.request("nobody@example.com");
    CHECK(f.reset_mails.empty());
    // The row is written as for an account, without one: it can never be confirmed.
    CHECK(f.count("SELECT COUNT(*) FROM password_resets WHERE email = 'nobody@example.com' AND user_id IS NULL") ==
          1);
}

TEST_CASE("confirming sets the password, ends tokens and sessions, and the token works once") {
    test::UserFixture f;
    auto u = f.customer();
    auto s = f.auth.login("ann@example.com", "password-1", kIp);
    f.resets.request("ann@example.com");
    f.resets.request("ann@example.com");
    REQUIRE(f.reset_mails.size() == 2);
    const std::string token = f.reset_mails[0].token;
    f.now += 60 * 1000;

    f.resets.confirm(token, "new-password-1");
    CHECK(f.generation(u.id) == 1);  // the access token from before is refused by the bearer check
    CHECK(f.jwt.decode(s.access_token, f.now / 1000)->gen == 0);
    CHECK(api_error_of([&] { f.auth.refresh(s.refresh_token); }).code() == "invalid_refresh_token");
    CHECK(api_error_of([&] { f.auth.login("ann@example.com", "password-1", kIp); }).code() == "invalid_credentials");
    CHECK(f.auth.login("ann@example.com", "new-password-1", kIp).user.id == u.id);

    CHECK(invalid_token_code(f, token, "new-password-2") == "invalid_token");
    // The other mail's token ended with it.
    CHECK(invalid_token_code(f, f.reset_mails[1].token, "new-password-2") == "invalid_token");
    CHECK(f.generation(u.id) == 1);
}

TEST_CASE("bad, expired and unknown-account tokens are invalid_token and change nothing") {
    test::UserFixture f;
    auto u = f.customer();
    CHECK(invalid_token_code(f, "no-such-token", "new-password-1") == "invalid_token");
    f.resets.request("ann@example.com");
    f.now += 3600 * 1000;  // exactly an hour: over
    CHECK(invalid_token_code(f, f.reset_mails.at(0).token, "new-password-1") == "invalid_token");
    CHECK(f.generation(u.id) == 0);
    CHECK(f.auth.login("ann@example.com", "password-1", kIp).user.id == u.id);
    // The row of an unknown email cannot be confirmed, whoever learns its token.
    f.t.db().write([&](db::Tx& tx) {
        f.reset_repo.insert(tx, user::token_hash("known-token"), "nobody@example.com", std::nullopt, f.now,
                            f.now + 3600 * 1000);
    });
    CHECK(invalid_token_code(f, "known-token", "new-password-1") == "invalid_token");
    // Just inside the hour still works.
    f.resets.request("ann@example.com");
    f.now += 3600 * 1000 - 1;
    f.resets.confirm(f.reset_mails.at(1).token, "new-password-1");
    CHECK(f.generation(u.id) == 1);
}

TEST_CASE("at most five requests per address an hour make tokens, with or without an account") {
    test::UserFixture f;
    f.customer();
    for (int i = 0; i < 7; ++i) {
        f.resets.request("ann@example.com");
        f.resets.request("nobody@example.com");
    }
    CHECK(f.reset_mails.size() == 5);
    CHECK(f.count("SELECT COUNT(*) FROM password_resets WHERE email = 'ann@example.com'") == 5);
    CHECK(f.count("SELECT COUNT(*) FROM password_resets WHERE email = 'nobody@example.com'") == 5);
    f.now += 3600 * 1000 + 1;
    f.resets.request("ann@example.com");
    CHECK(f.reset_mails.size() == 6);
    f.resets.purge_expired();
    CHECK(f.count("SELECT COUNT(*) FROM password_resets") == 1);
}
