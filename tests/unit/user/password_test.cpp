#include "user/password.hpp"

#include <catch2/catch.hpp>

#include "user_fixture.hpp"

using namespace shop;

TEST_CASE("argon2id hashes verify the right password only") {
    user::PasswordHasher h(1, 64);
    std::string hash = h.hash("correct horse battery");
    CHECK(hash.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0) == 0);
    CHECK(hash.find("correct horse") == std::string::npos);
    CHECK(h.verify(hash, "correct horse battery"));
    CHECK_FALSE(h.verify(hash, "correct horse batter"));
    CHECK_FALSE(h.verify(hash, "correct horse battery "));
    CHECK_FALSE(h.verify(hash, ""));
    // Salted: the same password twice gives two hashes, both valid.
    std::string again = h.hash("correct horse battery");
    CHECK(again != hash);
    CHECK(h.verify(again, "correct horse battery"));
    // Passwords are bytes: an embedded NUL is part of it, not its end.
    std::string with_nul("ab\0cdefgh", 9);
    std::string nul_hash = h.hash(with_nul);
    CHECK(h.verify(nul_hash, with_nul));
    CHECK_FALSE(h.verify(nul_hash, "ab"));
}

TEST_CASE("malformed hashes never verify") {
    user::PasswordHasher h(1, 64);
    for (const std::string& bad :
         std::vector<std::string>{"", "plain", "$argon2id$", "$argon2id$v=19$m=64,t=1,p=1$AAAA$AAAA",
                                  std::string(200, '$'), std::string("$argon2id\0$", 11)})
        CHECK_FALSE(h.verify(bad, "anything"));
    h.verify_dummy("anything");  // costs a verification, cannot succeed, does not throw
}

TEST_CASE("raised parameters are noticed, and old hashes keep verifying") {
    user::PasswordHasher weak(1, 64);
    user::PasswordHasher strong(2, 128);
    std::string old_hash = weak.hash("password-1");
    CHECK_FALSE(weak.needs_rehash(old_hash));
    CHECK(strong.needs_rehash(old_hash));
    CHECK(strong.verify(old_hash, "password-1"));  // the hash carries its own parameters
    std::string new_hash = strong.hash("password-1");
    CHECK_FALSE(strong.needs_rehash(new_hash));
    CHECK(new_hash.find("m=128,t=2") != std::string::npos);
    CHECK(strong.needs_rehash("not a hash"));
}

TEST_CASE("a successful sign-in upgrades a hash made with old parameters") {
    test::UserFixture f;
    auto u = f.customer("ann@example.com", "password-1");
    // Pretend the account was made when the settings were weaker.
    user::PasswordHasher older(1, 32);
    std::string old_hash = older.hash("password-1");
    f.t.db().write([&](db::Tx& tx) { tx.exec("UPDATE users SET password_hash = ? WHERE id = ?", old_hash, u.id); });

    auto stored = [&] { return f.t.db().read([&](db::Conn& c) { return *f.users.password_hash(c, u.id); }); };
    CHECK_THROWS_AS(f.auth.login("ann@example.com", "wrong-password", "10.0.0.1"), shop::Error);
    CHECK(stored() == old_hash);  // a failed sign-in changes nothing

    f.auth.login("ann@example.com", "password-1", "10.0.0.1");
    std::string upgraded = stored();
    CHECK(upgraded != old_hash);
    CHECK(upgraded.find("m=64,t=1") != std::string::npos);
    CHECK_FALSE(f.hasher.needs_rehash(upgraded));
    CHECK(f.hasher.verify(upgraded, "password-1"));

    // Already current: the next sign-in leaves it alone.
    f.auth.login("ann@example.com", "password-1", "10.0.0.1");
    CHECK(stored() == upgraded);
}
