#pragma once
// The user module's services on a real temp SQLite database, with a clock the test moves.
#include <stdexcept>
#include <vector>

#include "problem.hpp"
#include "shop/core/error.hpp"
#include "test_db.hpp"
#include "user/account_service.hpp"
#include "user/address_repository.hpp"
#include "user/address_service.hpp"
#include "user/auth_service.hpp"
#include "user/jwt.hpp"
#include "user/login_limiter.hpp"
#include "user/migrations.hpp"
#include "user/password.hpp"
#include "user/password_reset.hpp"
#include "user/reset_repository.hpp"
#include "user/session_repository.hpp"
#include "user/user_repository.hpp"

namespace shop::test {

inline db::Migrator user_migrations() {
    db::Migrator m;
    user::add_migrations(m);
    return m;
}

struct UserFixture {
    static constexpr int kMaxPerEmail = 3;
    static constexpr int kMaxPerIp = 5;
    static constexpr int kWindowS = 60;
    static constexpr int kRefreshTtlS = 3600;
    static constexpr int kSessionMaxDays = 1;

    TestDb t{user_migrations()};
    std::int64_t now = 1'800'000'000'000;  // ms; tests move it
    user::Clock clock = [this] { return now; };
    user::UserRepository users;
    user::SessionRepository sessions;
    user::AddressRepository address_repo;
    user::PasswordHasher hasher{1, 64};
    user::Jwt jwt{900};
    user::LoginLimiter limiter{t.db(), sessions, {kMaxPerEmail, kMaxPerIp, kWindowS}, clock};
    user::AccountService accounts{t.db(), users, sessions, hasher, limiter, clock};
    user::AuthService auth{t.db(), users, sessions, hasher, limiter, jwt, kRefreshTtlS, kSessionMaxDays, clock};
    user::AddressService addresses{t.db(), address_repo, users, clock};
    user::ResetRepository reset_repo;
    std::vector<user::ResetMail> reset_mails;  // what the reset mailer was handed, in order
    user::PasswordReset resets{t.db(),   users, sessions, reset_repo, hasher,
                               [this](db::Tx&, const user::ResetMail& m) { reset_mails.push_back(m); }, clock};

    UserFixture() { jwt.set_secret("unit-test-secret-that-is-32-bytes-long!"); }

    user::User customer(const std::string& email = "ann@example.com", const std::string& password = "password-1") {
        return accounts.create({email, password, "Ann", http::Role::Customer});
    }

    std::int64_t generation(const std::string& user_id) {
        return *t.db().read([&](db::Conn& c) { return users.token_generation(c, user_id); });
    }

    std::int64_t count(const std::string& sql) {
        return t.db().read([&](db::Conn& c) { return c.query(sql).front().i64(0); });
    }
};

// The Error a call throws; fails the test if it throws nothing.
template <class F>
shop::Error api_error_of(F&& f) {
    try {
        f();
    } catch (const shop::Error& e) {
        return e;
    }
    throw std::runtime_error("expected an Error");
}

}  // namespace shop::test
