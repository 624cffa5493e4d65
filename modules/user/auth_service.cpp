#include "auth_service.hpp"

#include <algorithm>
#include <sodium.h>

#include "shop/core/log.hpp"
#include "shop/core/random.hpp"
#include "shop/core/error.hpp"

namespace shop::user {

namespace {
constexpr std::size_t kRefreshTokenBytes = 32;

Error invalid_credentials() {
    return Error("invalid_credentials", "the email or password is wrong");
}

Error invalid_refresh_token() {
    return Error("invalid_refresh_token", "the refresh token is invalid, expired or already used");
}
}  // namespace

std::string token_hash(const std::string& token) {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(token.data()), token.size());
    return core::to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

AuthService::AuthService(db::Database& db, const UserRepository& users, const SessionRepository& sessions,
                         const PasswordHasher& hasher, LoginLimiter& limiter, const Jwt& jwt, int refresh_ttl_s,
                         int session_max_days, Clock clock)
    : db_(db),
      users_(users),
      sessions_(sessions),
      hasher_(hasher),
      limiter_(limiter),
      jwt_(jwt),
      refresh_ttl_ms_(static_cast<std::int64_t>(refresh_ttl_s) * 1000),
      session_max_ms_(static_cast<std::int64_t>(session_max_days) * 24 * 3600 * 1000),
      clock_(std::move(clock)) {}

Session AuthService::open_session(db::Tx& tx, const User& u, const std::string& family_id, const std::string& token,
                                  std::int64_t now, std::int64_t family_started) {
    // Rotation keeps a stolen token's chain alive only until the sign-in's absolute end.
    const std::int64_t expires = std::min(now + refresh_ttl_ms_, family_started + session_max_ms_);
    sessions_.insert_refresh(tx, token_hash(token), family_id, u.id, now, expires, family_started);
    return Session{{}, jwt_.ttl_s(), token, u};
}

Session AuthService::login(const std::string& email, const std::string& password, const std::string& client_ip) {
    const std::string attempt = limiter_.begin(email, client_ip);
    auto creds = db_.read([&](db::Conn& c) { return users_.find_by_email(c, email); });
    if (!creds) {
        hasher_.verify_dummy(password);
        throw invalid_credentials();
    }
    if (!hasher_.verify(creds->password_hash, password)) throw invalid_credentials();

    // Parameters were raised since this hash was made: upgrade it while we know the password.
    std::optional<std::string> upgraded;
    if (hasher_.needs_rehash(creds->password_hash)) upgraded = hasher_.hash(password);

    const std::string token = core::random_token(kRefreshTokenBytes);
    const std::string family = core::new_id("rtf");
    const std::int64_t now = clock_();
    Session s = db_.write([&](db::Tx& tx) {
        limiter_.forgive(tx, attempt);
        if (upgraded) users_.replace_password_hash(tx, creds->user.id, creds->password_hash, *upgraded);
        return open_session(tx, creds->user, family, token, now, now);
    });
    s.access_token = jwt_.issue(s.user.id, s.user.role, now / 1000, s.user.token_generation);
    return s;
}

Session AuthService::refresh(const std::string& refresh_token) {
    const std::string hash = token_hash(refresh_token);
    const std::string next = core::random_token(kRefreshTokenBytes);
    const std::int64_t now = clock_();
    struct Outcome {
        std::optional<Session> session;
        std::optional<std::string> reused_family;
        std::string user_id;
    };
    Outcome out = db_.write([&](db::Tx& tx) {
        Outcome o;
        auto rec = sessions_.find_refresh(tx, hash);
        if (!rec) return o;
        o.user_id = rec->user_id;
        // The revocation must commit, so this path returns instead of throwing.
        if (rec->used_at_ms || rec->revoked_at_ms || rec->expires_at_ms <= now || !sessions_.mark_used(tx, hash, now)) {
            if (rec->used_at_ms) o.reused_family = rec->family_id;
            sessions_.revoke_family(tx, rec->family_id, now);
            return o;
        }
        auto user = users_.find(tx, rec->user_id);
        if (!user) {
            sessions_.revoke_family(tx, rec->family_id, now);
            return o;
        }
        o.session = open_session(tx, *user, rec->family_id, next, now, rec->family_started_at_ms);
        return o;
    });
    if (out.reused_family)
        log::warn("refresh token re-used: revoked its family {} (user {})", *out.reused_family, out.user_id);
    if (!out.session) throw invalid_refresh_token();
    out.session->access_token = jwt_.issue(out.session->user.id, out.session->user.role, now / 1000,
                                             out.session->user.token_generation);
    return std::move(*out.session);
}

void AuthService::logout(const std::string& refresh_token) {
    const std::string hash = token_hash(refresh_token);
    const std::int64_t now = clock_();
    db_.write([&](db::Tx& tx) { sessions_.revoke(tx, hash, now); });
}

void AuthService::purge_expired() {
    const std::int64_t now = clock_();
    db_.write([&](db::Tx& tx) { sessions_.purge_refresh(tx, now); });
}

}  // namespace shop::user
