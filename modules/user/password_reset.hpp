#pragma once
// Password reset (API.md section 12): a single-use token, valid for an hour, sent by e-mail
// and kept only as a SHA-256. Asking answers the same, and costs the same, whether or not
// an account has the email: the row is written either way, and only the mail differs.
#include <cstdint>
#include <functional>
#include <string>

#include "model.hpp"
#include "password.hpp"
#include "reset_repository.hpp"
#include "session_repository.hpp"
#include "shop/db/database.hpp"
#include "user_repository.hpp"

namespace shop::user {

// What the reset mail carries. The token exists in clear only here and in that mail.
struct ResetMail {
    User user;
    std::string token;
    std::int64_t expires_at_ms = 0;
};
// Queues the mail inside the request's transaction (never sends it there).
using ResetMailer = std::function<void(db::Tx&, const ResetMail&)>;

class PasswordReset {
public:
    static constexpr std::int64_t kTokenTtlMs = 3600 * 1000;
    // Requests per email address within the token lifetime: past it no token is made and
    // no mail is sent (the answer is still 202), so nobody can flood an inbox.
    static constexpr std::int64_t kMaxPerEmail = 5;

    PasswordReset(db::Database& db, const UserRepository& users, const SessionRepository& sessions,
                  const ResetRepository& resets, const PasswordHasher& hasher, ResetMailer mailer, Clock clock);

    // `email` normalised. Succeeds whether or not an account has it.
    void request(const std::string& email);
    // 400 invalid_token for an unknown, used or expired token. Sets the password, raises the
    // user's token generation (earlier access tokens end), revokes every refresh token and
    // every other reset token of the user, in one transaction.
    void confirm(const std::string& token, const std::string& password);
    void purge_expired();

private:
    db::Database& db_;
    const UserRepository& users_;
    const SessionRepository& sessions_;
    const ResetRepository& resets_;
    const PasswordHasher& hasher_;
    ResetMailer mailer_;
    Clock clock_;
};

}  // namespace shop::user
