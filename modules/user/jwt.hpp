#pragma once
// Access tokens: JWT (RFC 7519) signed with HS256 only. Every replica holding the same
// secret can verify them without touching the database, which is what keeps the per-request
// bearer check cheap.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "shop/http/route.hpp"

namespace shop::user {

struct AccessClaims {
    std::string sub;  // user id
    http::Role role = http::Role::Customer;
    std::int64_t iat = 0;  // seconds since the epoch
    std::int64_t exp = 0;
    std::string jti;
    // The user's token generation when the token was issued (see Jwt::end_tokens_by).
    // Tokens made before generations existed carry none and read as 0.
    std::int64_t gen = 0;
};

// base64url without padding (RFC 7515 section 2); decoding refuses padding, stray
// characters and non-canonical trailing bits.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);
std::string hmac_sha256(std::string_view key, std::string_view message);

class Jwt final : public http::TokenVerifier {
public:
    explicit Jwt(int ttl_s) : ttl_s_(ttl_s) {}

    // Set once before the first request is served (start-up is single-threaded), read-only
    // afterwards: verify() runs on many worker threads without a lock.
    void set_secret(std::string secret) { secret_ = std::move(secret); }
    bool has_secret() const { return !secret_.empty(); }
    int ttl_s() const { return ttl_s_; }

    // A fresh token for the user, valid from now_s for ttl_s seconds, of token generation `gen`.
    std::string issue(const std::string& user_id, http::Role role, std::int64_t now_s, std::int64_t gen = 0) const;
    std::string sign(const AccessClaims& claims) const;
    // The claims when the token is well-formed, HS256, signed with our secret and not
    // expired at now_s; nullopt for anything else, including any garbage.
    std::optional<AccessClaims> decode(std::string_view token, std::int64_t now_s) const;

    // Ending tokens early (password reset or change, role change): each user has a token
    // generation, a counter in the database that those changes raise, and every token
    // carries the generation it was issued in. A counter rather than a "valid after" time:
    // JWT iat is in whole seconds and replicas' clocks differ, so a time could neither keep
    // a token issued right after a reset in the same second nor refuse one issued just
    // before it; a counter orders them exactly. `current` reads the user's generation
    // (nullopt: no such user) from the database on every verify(), so a change made by any
    // replica holds at once on all of them. Set once at start-up, like the secret.
    using Generation = std::function<std::optional<std::int64_t>(std::string_view user_id)>;
    void end_tokens_by(Generation current) { generation_ = std::move(current); }

    std::optional<http::Principal> verify(std::string_view bearer_token) const override;

private:
    int ttl_s_;
    std::string secret_;
    Generation generation_;
};

}  // namespace shop::user
