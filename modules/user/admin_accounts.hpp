#pragma once
// Accounts made outside the API: the configured admin at start-up, and `shopd user create`.
#include <map>
#include <string>

#include "account_service.hpp"
#include "auth_settings.hpp"

namespace shop::user {

// Creates the admin named by auth.admin_email when no account has that email; ConfigError
// for an invalid email or a weak password. An existing account is left as it is.
void bootstrap_admin(const AuthSettings& auth, AccountService& accounts);

// `shopd user create`, args email, password, admin ("true"/"false"): prints the account
// and returns 0, or prints one line to stderr and returns 2 on bad input.
int create_user_command(AccountService& accounts, const std::map<std::string, std::string>& args);

}  // namespace shop::user
