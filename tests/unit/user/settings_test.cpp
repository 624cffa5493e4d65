#include <catch2/catch.hpp>

#include "user/auth_settings.hpp"

using namespace shop;

namespace {
std::string error_of(const core::Environment& env) {
    try {
        core::Settings s(std::nullopt, "test", env, {});
        user::read_auth_settings(s);
    } catch (const core::ConfigError& e) {
        return e.what();
    }
    return "no error";
}
}  // namespace

TEST_CASE("the auth section: defaults, every variable, and its rules") {
    core::Settings none;
    user::AuthSettings d = user::read_auth_settings(none);
    CHECK(d.access_ttl_s == 900);
    CHECK(d.refresh_ttl_s == 30 * 24 * 3600);
    CHECK(d.argon2_mem_kib == 19456);
    CHECK(d.jwt_secret.empty());

    core::Settings all(std::nullopt, "test",
                       {{"SHOPD_JWT_SECRET", std::string(32, 's')},
                        {"SHOPD_ACCESS_TTL", "60"},
                        {"SHOPD_REFRESH_TTL", "120"},
                        {"SHOPD_ARGON2_OPS", "3"},
                        {"SHOPD_ARGON2_MEM_KIB", "64"},
                        {"SHOPD_ADMIN_EMAIL", "a@b.co"},
                        {"SHOPD_ADMIN_PASSWORD", "longpassword"},
                        {"SHOPD_LOGIN_MAX_FAILURES_EMAIL", "4"},
                        {"SHOPD_LOGIN_MAX_FAILURES_IP", "40"},
                        {"SHOPD_LOGIN_WINDOW", "30"}},
                       {});
    user::AuthSettings a = user::read_auth_settings(all);
    CHECK(a.jwt_secret == std::string(32, 's'));
    CHECK(a.access_ttl_s == 60);
    CHECK(a.refresh_ttl_s == 120);
    CHECK(a.argon2_ops == 3);
    CHECK(a.argon2_mem_kib == 64);
    CHECK(a.admin_email == "a@b.co");
    CHECK(a.admin_password == "longpassword");
    CHECK(a.login_max_failures_email == 4);
    CHECK(a.login_max_failures_ip == 40);
    CHECK(a.login_window_s == 30);
    CHECK_NOTHROW(all.check_unread());

    CHECK_THAT(error_of({{"SHOPD_JWT_SECRET", "short"}}), Catch::Contains("SHOPD_JWT_SECRET") &&
                                                              Catch::Contains("32") && !Catch::Contains("short"));
    CHECK_THAT(error_of({{"SHOPD_ADMIN_EMAIL", "a@b.co"}}), Catch::Contains("SHOPD_ADMIN_PASSWORD"));
    CHECK_THAT(error_of({{"SHOPD_ACCESS_TTL", "soon"}}), Catch::Contains("SHOPD_ACCESS_TTL"));
}
