#include <catch2/catch.hpp>

#include "problem.hpp"

#include "user_fixture.hpp"

using namespace shop;
using test::api_error_of;
using test::header_of;

namespace {
const char* kIp = "10.0.0.1";

int status_of_refresh(test::UserFixture& f, const std::string& token) {
    try {
        f.auth.refresh(token);
        return 200;
    } catch (const shop::Error& e) {
        return test::status_of(e);
    }
}
}  // namespace

TEST_CASE("sign-in gives a verifiable access token and an opaque refresh token stored only as a hash") {
    test::UserFixture f;
    auto u = f.customer();
    auto s = f.auth.login("ann@example.com", "password-1", kIp);
    CHECK(s.user.id == u.id);
    CHECK(s.expires_in == 900);
    auto claims = f.jwt.decode(s.access_token, f.now / 1000);
    REQUIRE(claims);
    CHECK(claims->sub == u.id);
    CHECK(claims->role == http::Role::Customer);
    CHECK(s.refresh_token.size() >= 43);  // 32 random bytes
    CHECK(f.count("SELECT COUNT(*) FROM refresh_tokens") == 1);
    auto stored =
        f.t.db().read([](db::Conn& c) { return c.query("SELECT token_hash FROM refresh_tokens").front().str(0); });
    CHECK(stored == user::token_hash(s.refresh_token));
    CHECK(stored != s.refresh_token);
    CHECK(stored.size() == 64);
}

TEST_CASE("wrong password and unknown email are the same 401") {
    test::UserFixture f;
    f.customer();
    auto wrong = api_error_of([&] { f.auth.login("ann@example.com", "password-2", kIp); });
    auto unknown = api_error_of([&] { f.auth.login("bob@example.com", "password-1", kIp); });
    CHECK(test::status_of(wrong) == 401);
    CHECK(wrong.code() == "invalid_credentials");
    CHECK(test::status_of(unknown) == test::status_of(wrong));
    CHECK(unknown.code() == wrong.code());
    CHECK(unknown.detail() == wrong.detail());
    CHECK(f.count("SELECT COUNT(*) FROM refresh_tokens") == 0);
}

TEST_CASE("refresh rotates: a new pair, and the old refresh token stops working") {
    test::UserFixture f;
    f.customer();
    auto first = f.auth.login("ann@example.com", "password-1", kIp);
    f.now += 1000;
    auto second = f.auth.refresh(first.refresh_token);
    CHECK(second.refresh_token != first.refresh_token);
    CHECK(second.access_token != first.access_token);
    CHECK(f.jwt.decode(second.access_token, f.now / 1000));
    CHECK(second.user.email == "ann@example.com");
    auto third = f.auth.refresh(second.refresh_token);
    CHECK(third.refresh_token != second.refresh_token);
    // All three belong to one family.
    CHECK(f.count("SELECT COUNT(DISTINCT family_id) FROM refresh_tokens") == 1);
}

TEST_CASE("re-using a rotated refresh token revokes its whole family") {
    test::UserFixture f;
    f.customer();
    auto other_device = f.auth.login("ann@example.com", "password-1", kIp);
    auto first = f.auth.login("ann@example.com", "password-1", kIp);
    auto second = f.auth.refresh(first.refresh_token);

    auto reuse = api_error_of([&] { f.auth.refresh(first.refresh_token); });
    CHECK(test::status_of(reuse) == 401);
    CHECK(header_of(reuse, "WWW-Authenticate") == "Bearer");
    // The legitimate holder's newer token is gone too: both parties must sign in again.
    CHECK(status_of_refresh(f, second.refresh_token) == 401);
    // Another sign-in (another family) is untouched.
    CHECK(status_of_refresh(f, other_device.refresh_token) == 200);
}

TEST_CASE("logout revokes that refresh token only, and is idempotent") {
    test::UserFixture f;
    f.customer();
    auto a = f.auth.login("ann@example.com", "password-1", kIp);
    auto b = f.auth.login("ann@example.com", "password-1", kIp);
    f.auth.logout(a.refresh_token);
    f.auth.logout(a.refresh_token);
    f.auth.logout("never-issued");
    CHECK(status_of_refresh(f, a.refresh_token) == 401);
    CHECK(status_of_refresh(f, b.refresh_token) == 200);
}

TEST_CASE("refresh tokens expire, and unknown ones are refused") {
    test::UserFixture f;
    f.customer();
    auto s = f.auth.login("ann@example.com", "password-1", kIp);
    CHECK(status_of_refresh(f, "garbage") == 401);
    CHECK(status_of_refresh(f, "") == 401);
    f.now += test::UserFixture::kRefreshTtlS * 1000LL;
    CHECK(status_of_refresh(f, s.refresh_token) == 401);
    // Expired rows are purged; the purge keeps live ones.
    auto live = f.auth.login("ann@example.com", "password-1", kIp);
    f.now += 1;
    f.auth.purge_expired();
    CHECK(f.count("SELECT COUNT(*) FROM refresh_tokens") == 1);
    CHECK(status_of_refresh(f, live.refresh_token) == 200);
}

TEST_CASE("a sign-in's refresh family ends after session_max_days, however often it rotates") {
    test::UserFixture f;
    f.customer();
    auto s = f.auth.login("ann@example.com", "password-1", kIp);
    // Rotating every 50 minutes keeps each token inside its one-hour TTL...
    const std::int64_t step = 50 * 60 * 1000LL;
    const std::int64_t end = f.now + test::UserFixture::kSessionMaxDays * 24 * 3600 * 1000LL;
    std::string token = s.refresh_token;
    int rotations = 0;
    while (f.now + step < end) {
        f.now += step;
        token = f.auth.refresh(token).refresh_token;
        ++rotations;
    }
    CHECK(rotations == 28);
    // ...but not past the day the sign-in is allowed, even though the last was issued
    // less than an hour ago.
    f.now = end;
    CHECK(status_of_refresh(f, token) == 401);
    // A fresh sign-in starts a new family.
    CHECK(status_of_refresh(f, f.auth.login("ann@example.com", "password-1", kIp).refresh_token) == 200);
}

TEST_CASE("a refreshed access token carries the role the account has now") {
    test::UserFixture f;
    auto u = f.customer();
    auto s = f.auth.login("ann@example.com", "password-1", kIp);
    f.accounts.change_role(u.id, http::Role::Admin);
    auto r = f.auth.refresh(s.refresh_token);
    CHECK(f.jwt.decode(r.access_token, f.now / 1000)->role == http::Role::Admin);
    CHECK(r.user.role == http::Role::Admin);
}

TEST_CASE("failed sign-ins per email are limited; then even the right password waits") {
    test::UserFixture f;
    f.customer();
    const int max = test::UserFixture::kMaxPerEmail;
    for (int i = 0; i < max; ++i) {
        f.now += 1000;
        CHECK(test::status_of(api_error_of([&] { f.auth.login("ann@example.com", "wrong-password", kIp); })) == 401);
    }
    f.now += 1000;
    auto limited = api_error_of([&] { f.auth.login("ann@example.com", "password-1", kIp); });
    CHECK(test::status_of(limited) == 429);
    CHECK(limited.code() == "rate_limited");
    // The oldest failure (3 s ago) leaves the 60 s window in 57 s.
    CHECK(header_of(limited, "Retry-After") == "57");
    // Another email from the same address is not held back by this one's failures.
    CHECK(test::status_of(api_error_of([&] { f.auth.login("bob@example.com", "whatever-1", kIp); })) == 401);

    f.now += 56'000;
    CHECK(test::status_of(api_error_of([&] { f.auth.login("ann@example.com", "password-1", kIp); })) == 429);
    f.now += 1'000;  // the oldest failure is out of the window
    CHECK_NOTHROW(f.auth.login("ann@example.com", "password-1", kIp));
}

TEST_CASE("failed sign-ins per client address are limited across emails") {
    test::UserFixture f;
    f.customer();
    const int max = test::UserFixture::kMaxPerIp;
    for (int i = 0; i < max; ++i)
        CHECK(test::status_of(api_error_of([&] {
                  f.auth.login("guess" + std::to_string(i) + "@example.com", "x-password", kIp);
              })) == 401);
    auto limited = api_error_of([&] { f.auth.login("ann@example.com", "password-1", kIp); });
    CHECK(test::status_of(limited) == 429);
    CHECK(header_of(limited, "Retry-After") == "60");
    // Another address is not limited.
    CHECK_NOTHROW(f.auth.login("ann@example.com", "password-1", "10.0.0.2"));
}

TEST_CASE("successful sign-ins leave no failure behind; old failures are purged") {
    test::UserFixture f;
    f.customer();
    for (int i = 0; i < 10; ++i) f.auth.login("ann@example.com", "password-1", kIp);
    CHECK(f.count("SELECT COUNT(*) FROM login_failures") == 0);
    CHECK_THROWS(f.auth.login("ann@example.com", "nope-nope", kIp));
    CHECK(f.count("SELECT COUNT(*) FROM login_failures") == 1);
    f.now += test::UserFixture::kWindowS * 1000LL;
    f.limiter.purge();
    CHECK(f.count("SELECT COUNT(*) FROM login_failures") == 0);
}
