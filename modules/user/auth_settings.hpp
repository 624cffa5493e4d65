#pragma once
// The user module's settings: the `auth` section of the settings file and its SHOPD_*
// variables (docs/configuration.md lists them).
#include <string>

#include "shop/core/settings.hpp"

namespace shop::user {

struct AuthSettings {
    std::string jwt_secret;             // empty: generated once, kept in the database
    int access_ttl_s = 900;
    int refresh_ttl_s = 30 * 24 * 3600;
    int session_max_days = 90;          // a sign-in's refresh family ends then, rotated or not
    int argon2_ops = 2;                 // argon2id opslimit
    int argon2_mem_kib = 19456;         // argon2id memlimit (OWASP minimum: 19 MiB)
    std::string admin_email;            // created at start-up when missing
    std::string admin_password;
    int login_max_failures_email = 10;  // within login_window_s
    int login_max_failures_ip = 100;
    int login_window_s = 900;
};

// ConfigError for a bad value, a JWT secret shorter than 32 bytes, or an admin email
// without its password.
AuthSettings read_auth_settings(core::Settings& settings);

}  // namespace shop::user
