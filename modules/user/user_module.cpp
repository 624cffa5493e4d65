#include "user_module.hpp"

#include <cstdio>

#include "account_service.hpp"
#include "address_repository.hpp"
#include "address_service.hpp"
#include "auth_service.hpp"
#include "handlers.hpp"
#include "jwt.hpp"
#include "jwt_secret.hpp"
#include "login_limiter.hpp"
#include "migrations.hpp"
#include "password.hpp"
#include "rules.hpp"
#include "session_repository.hpp"
#include "shop/core/log.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"
#include "user_repository.hpp"

namespace shop::user {

extern const std::string_view kOpenapi;

struct UserModule::Impl {
    explicit Impl(Runtime& r)
        : rt(r),
          jwt(r.config.auth.access_ttl_s),
          hasher(r.config.auth.argon2_ops, r.config.auth.argon2_mem_kib),
          limiter(r.db, sessions,
                  {r.config.auth.login_max_failures_email, r.config.auth.login_max_failures_ip,
                   r.config.auth.login_window_s},
                  &core::now_ms),
          accounts(r.db, users, sessions, hasher, limiter, &core::now_ms),
          auth(r.db, users, sessions, hasher, limiter, jwt, r.config.auth.refresh_ttl_s, &core::now_ms),
          addresses(r.db, address_repo, &core::now_ms) {}

    void bootstrap_admin();

    Runtime& rt;
    UserRepository users;
    SessionRepository sessions;
    AddressRepository address_repo;
    Jwt jwt;
    PasswordHasher hasher;
    LoginLimiter limiter;
    AccountService accounts;
    AuthService auth;
    AddressService addresses;
};

void UserModule::Impl::bootstrap_admin() {
    const auto& cfg = rt.config.auth;
    if (cfg.admin_email.empty()) return;
    const std::string email = normalize_email(cfg.admin_email);
    if (!valid_email(email))
        throw core::ConfigError("auth.admin_email (SHOPD_ADMIN_EMAIL)", "must be a valid email address");
    if (auto problem = password_problem(cfg.admin_password))
        throw core::ConfigError("auth.admin_password (SHOPD_ADMIN_PASSWORD)", *problem);
    if (auto existing = accounts.find_by_email(email)) {
        if (existing->role != http::Role::Admin)
            log::warn("the configured admin email belongs to account {}, which is not an admin; left unchanged",
                      existing->id);
        return;
    }
    if (accounts.create_if_absent({email, cfg.admin_password, "Administrator", http::Role::Admin}))
        log::info("created the configured admin account");
}

UserModule::UserModule(Runtime& rt) : impl_(std::make_unique<Impl>(rt)) {
    check_jwt_secret(rt.config.auth);
}
UserModule::~UserModule() = default;

void UserModule::migrations(db::Migrator& m) {
    add_migrations(m);
}

void UserModule::routes(http::Routes& r) {
    using http::Auth;
    using http::Context;
    using http::RateClass;
    Impl* i = impl_.get();
    r.post("/api/v1/users", {Auth::Public, RateClass::Auth},
           [i](Context& c) { return handlers::register_user(c, i->accounts); });
    r.post("/api/v1/auth/login", {Auth::Public, RateClass::Auth},
           [i](Context& c) { return handlers::login(c, i->auth); });
    r.post("/api/v1/auth/refresh", {Auth::Public, RateClass::Auth},
           [i](Context& c) { return handlers::refresh(c, i->auth); });
    r.post("/api/v1/auth/logout", {Auth::Public, RateClass::Auth},
           [i](Context& c) { return handlers::logout(c, i->auth); });

    r.get("/api/v1/users/me", {Auth::User}, [i](Context& c) { return handlers::get_me(c, i->accounts); });
    // May hash a password twice: it spends from the same bucket as sign-in.
    r.patch("/api/v1/users/me", {Auth::User, RateClass::Auth},
            [i](Context& c) { return handlers::patch_me(c, i->accounts); });
    r.get("/api/v1/users/me/addresses", {Auth::User},
          [i](Context& c) { return handlers::list_addresses(c, i->addresses); });
    r.post("/api/v1/users/me/addresses", {Auth::User, RateClass::Write},
           [i](Context& c) { return handlers::create_address(c, i->addresses); });
    r.get("/api/v1/users/me/addresses/{id}", {Auth::User},
          [i](Context& c) { return handlers::get_address(c, i->addresses); });
    r.del("/api/v1/users/me/addresses/{id}", {Auth::User, RateClass::Write},
          [i](Context& c) { return handlers::delete_address(c, i->addresses); });

    r.get("/api/v1/users", {Auth::Admin}, [i](Context& c) { return handlers::list_users(c, i->accounts); });
    r.patch("/api/v1/users/{id}", {Auth::Admin, RateClass::Write},
            [i](Context& c) { return handlers::patch_user(c, i->accounts); });
}

std::string_view UserModule::openapi() const {
    return kOpenapi;
}

void UserModule::start() {
    Impl* i = impl_.get();
    i->jwt.set_secret(resolve_jwt_secret(i->rt.config.auth, i->rt.db, i->users));
    // The dummy hash for unknown emails exists before the first sign-in, so that one is not
    // slower than the rest.
    i->hasher.prepare();
    i->bootstrap_admin();
}

void UserModule::jobs(core::Scheduler& scheduler) {
    Impl* i = impl_.get();
    scheduler.every(std::chrono::minutes(10), [i] {
        i->limiter.purge();
        i->auth.purge_expired();
    });
}

std::optional<int> UserModule::command(std::string_view name, const std::map<std::string, std::string>& args) {
    if (name != "user create") return std::nullopt;
    auto arg = [&](const char* key) {
        auto it = args.find(key);
        return it == args.end() ? std::string() : it->second;
    };
    const std::string email = normalize_email(arg("email"));
    const std::string password = arg("password");
    const bool admin = arg("admin") == "true";
    if (!valid_email(email)) {
        std::fprintf(stderr, "shopd: user create: --email must be a valid email address\n");
        return 2;
    }
    if (auto problem = password_problem(password)) {
        std::fprintf(stderr, "shopd: user create: --password %s\n", problem->c_str());
        return 2;
    }
    if (impl_->accounts.find_by_email(email)) {
        std::fprintf(stderr, "shopd: user create: an account with the email %s already exists\n", email.c_str());
        return 2;
    }
    User u = impl_->accounts.create(
        {email, password, admin ? "Administrator" : "", admin ? http::Role::Admin : http::Role::Customer});
    std::printf("created %s %s (%s)\n", std::string(http::to_string(u.role)).c_str(), u.id.c_str(), u.email.c_str());
    return 0;
}

const http::TokenVerifier& UserModule::verifier() const {
    return impl_->jwt;
}
api::Users& UserModule::users() {
    return impl_->addresses;
}

}  // namespace shop::user
