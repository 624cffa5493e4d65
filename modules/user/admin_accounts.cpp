#include "admin_accounts.hpp"

#include <cstdio>

#include "rules.hpp"
#include "shop/core/log.hpp"

namespace shop::user {

void bootstrap_admin(const AuthSettings& auth, AccountService& accounts) {
    if (auth.admin_email.empty()) return;
    const std::string email = normalize_email(auth.admin_email);
    if (!valid_email(email))
        throw core::ConfigError("auth.admin_email (SHOPD_ADMIN_EMAIL)", "must be a valid email address");
    if (auto problem = password_problem(auth.admin_password))
        throw core::ConfigError("auth.admin_password (SHOPD_ADMIN_PASSWORD)", *problem);
    if (auto existing = accounts.find_by_email(email)) {
        if (existing->role != http::Role::Admin)
            log::warn("the configured admin email belongs to account {}, which is not an admin; left unchanged",
                      existing->id);
        return;
    }
    if (accounts.create_if_absent({email, auth.admin_password, "Administrator", http::Role::Admin}))
        log::info("created the configured admin account");
}

int create_user_command(AccountService& accounts, const std::map<std::string, std::string>& args) {
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
    if (accounts.find_by_email(email)) {
        std::fprintf(stderr, "shopd: user create: an account with the email %s already exists\n", email.c_str());
        return 2;
    }
    User u = accounts.create(
        {email, password, admin ? "Administrator" : "", admin ? http::Role::Admin : http::Role::Customer});
    std::printf("created %s %s (%s)\n", std::string(http::to_string(u.role)).c_str(), u.id.c_str(), u.email.c_str());
    return 0;
}

}  // namespace shop::user
