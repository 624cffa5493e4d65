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

TEST_CASE("a sign-in's absolute lifetime is SHOPD_SESSION_MAX_DAYS, 90 days unless set") {
    core::Settings none;
    CHECK(user::read_auth_settings(none).session_max_days == 90);

    core::Settings env(std::nullopt, "test", {{"SHOPD_SESSION_MAX_DAYS", "7"}}, {});
    CHECK(user::read_auth_settings(env).session_max_days == 7);
    core::Settings file(R"({"auth": {"session_max_days": 30}})", "shopd.json", {}, {});
    CHECK(user::read_auth_settings(file).session_max_days == 30);
    CHECK_NOTHROW(file.check_unread());
    // The variable wins over the file, as for every setting.
    core::Settings both(R"({"auth": {"session_max_days": 30}})", "shopd.json", {{"SHOPD_SESSION_MAX_DAYS", "1"}}, {});
    CHECK(user::read_auth_settings(both).session_max_days == 1);

    // At least a day, at most ten years.
    for (const char* bad : {"0", "3651", "-1", "ninety"})
        CHECK_THAT(error_of({{"SHOPD_SESSION_MAX_DAYS", bad}}), Catch::Contains("SHOPD_SESSION_MAX_DAYS"));
    CHECK_THAT(error_of({{"SHOPD_SESSION_MAX_DAYS", "3650"}}), Catch::Equals("no error"));
}
