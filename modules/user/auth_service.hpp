#pragma once
// Sign-in and sessions: access tokens (JWT, stateless) and refresh tokens (opaque, random,
// stored only as SHA-256, rotated on every use). Tokens descend from one sign-in as a
// family; presenting a token that was already rotated means two parties hold it, so the
// whole family is revoked.
#include <string>

#include "jwt.hpp"
#include "login_limiter.hpp"
#include "model.hpp"
#include "password.hpp"
#include "session_repository.hpp"
#include "shop/db/database.hpp"
#include "user_repository.hpp"

namespace shop::user {

struct Session {
    std::string access_token;
    int expires_in = 0;  // seconds
    std::string refresh_token;
    User user;
};

class AuthService {
public:
    AuthService(db::Database& db, const UserRepository& users, const SessionRepository& sessions,
                const PasswordHasher& hasher, LoginLimiter& limiter, const Jwt& jwt, int refresh_ttl_s,
                int session_max_days, Clock clock);

    // 401 invalid_credentials for a wrong password and an unknown email alike (same cost);
    // 429 rate_limited past the failure limits. Re-hashes a password made with old parameters.
    Session login(const std::string& email, const std::string& password, const std::string& client_ip);
    // 401 for an unknown, expired, revoked or already-rotated token (the last revokes its family).
    Session refresh(const std::string& refresh_token);
    // Idempotent: an unknown token is already as logged out as it gets.
    void logout(const std::string& refresh_token);
    void purge_expired();

private:
    // The new token expires after refresh_ttl, or when its family reaches session_max_days.
    Session open_session(db::Tx& tx, const User& u, const std::string& family_id, const std::string& token,
                         std::int64_t now, std::int64_t family_started);

    db::Database& db_;
    const UserRepository& users_;
    const SessionRepository& sessions_;
    const PasswordHasher& hasher_;
    LoginLimiter& limiter_;
    const Jwt& jwt_;
    std::int64_t refresh_ttl_ms_;
    std::int64_t session_max_ms_;
    Clock clock_;
};

// Lower-case hex SHA-256: what is stored in place of a refresh token.
std::string token_hash(const std::string& token);

}  // namespace shop::user
