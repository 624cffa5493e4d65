#pragma once
// Accounts: registration, profile, roles, the admin list. Inputs arrive validated (see
// rules.hpp); this layer owns what needs the database or a password hash.
#include <optional>
#include <string>
#include <vector>

#include "login_limiter.hpp"
#include "model.hpp"
#include "password.hpp"
#include "session_repository.hpp"
#include "shop/db/database.hpp"
#include "user_repository.hpp"

namespace shop::user {

struct NewAccount {
    std::string email;  // normalised
    std::string password;
    std::string name;
    http::Role role = http::Role::Customer;
};

struct ProfileChange {
    std::optional<std::string> name;
    std::optional<std::string> password;
    std::optional<std::string> current_password;
};

class AccountService {
public:
    AccountService(db::Database& db, const UserRepository& users, const SessionRepository& sessions,
                   const PasswordHasher& hasher, LoginLimiter& limiter, Clock clock);

    // 409 email_taken when an account has this email. Emits user.registered.
    User create(const NewAccount& a);
    // For the start-up admin: creates the account unless the email exists. True if created.
    bool create_if_absent(const NewAccount& a);
    std::optional<User> find(const std::string& id);
    std::optional<User> find_by_email(const std::string& email);
    // A new password needs the right current one (422 naming current_password otherwise);
    // wrong guesses count as failed sign-ins. Changing it ends every refresh session.
    User update_profile(const std::string& id, const ProfileChange& change, const std::string& client_ip);
    // 404 for an unknown id. Emits user.role_changed when the role changes.
    User change_role(const std::string& id, http::Role role);
    std::vector<User> list(const std::optional<ListKey>& before, int limit);

private:
    User insert(const NewAccount& a, bool if_absent, bool& created);

    db::Database& db_;
    const UserRepository& users_;
    const SessionRepository& sessions_;
    const PasswordHasher& hasher_;
    LoginLimiter& limiter_;
    Clock clock_;
};

}  // namespace shop::user
