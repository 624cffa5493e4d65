#include "auth_settings.hpp"

#include "jwt_secret.hpp"

namespace shop::user {

AuthSettings read_auth_settings(core::Settings& settings) {
    constexpr double kIntMax = 2147483647.0;
    using S = core::Setting;
    AuthSettings a;
    settings.read({
        S::text("auth.jwt_secret", "SHOPD_JWT_SECRET", 0, 4096, a.jwt_secret),
        S::integer("auth.access_ttl_s", "SHOPD_ACCESS_TTL", 1, kIntMax, a.access_ttl_s),
        S::integer("auth.refresh_ttl_s", "SHOPD_REFRESH_TTL", 1, kIntMax, a.refresh_ttl_s),
        S::integer("auth.session_max_days", "SHOPD_SESSION_MAX_DAYS", 1, 3650, a.session_max_days),
        S::integer("auth.argon2_ops", "SHOPD_ARGON2_OPS", 1, 64, a.argon2_ops),
        S::integer("auth.argon2_mem_kib", "SHOPD_ARGON2_MEM_KIB", 8, 4 << 20, a.argon2_mem_kib),
        S::text("auth.admin_email", "SHOPD_ADMIN_EMAIL", 0, 320, a.admin_email),
        S::text("auth.admin_password", "SHOPD_ADMIN_PASSWORD", 0, 128, a.admin_password),
        S::integer("auth.login_max_failures_email", "SHOPD_LOGIN_MAX_FAILURES_EMAIL", 1, 1000000,
                   a.login_max_failures_email),
        S::integer("auth.login_max_failures_ip", "SHOPD_LOGIN_MAX_FAILURES_IP", 1, 1000000, a.login_max_failures_ip),
        S::integer("auth.login_window_s", "SHOPD_LOGIN_WINDOW", 1, kIntMax, a.login_window_s),
    });
    check_jwt_secret(a.jwt_secret);
    if (!a.admin_email.empty() && a.admin_password.empty())
        throw core::ConfigError("auth.admin_password (SHOPD_ADMIN_PASSWORD)", "must be set when an admin email is given");
    return a;
}

}  // namespace shop::user
