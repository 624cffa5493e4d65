#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "shop/api/users.hpp"
#include "shop/http/route.hpp"

namespace shop::user {

struct User {
    std::string id;
    std::string email;
    std::string name;
    http::Role role = http::Role::Customer;
    std::int64_t created_at_ms = 0;
    // Raised by a password change or reset and a role change: access tokens of an earlier
    // generation stop working (Jwt::end_tokens_by).
    std::int64_t token_generation = 0;
};

// A position in a list ordered by creation: the time, then the id for ties (ids made in the
// same millisecond do not sort by time).
struct ListKey {
    std::int64_t created_at_ms = 0;
    std::string id;
};

struct Credentials {
    User user;
    std::string password_hash;
};

struct ListedAddress {
    api::Address address;
    std::int64_t created_at_ms = 0;
};

struct RefreshRecord {
    std::string family_id;
    std::string user_id;
    std::int64_t expires_at_ms = 0;
    std::optional<std::int64_t> used_at_ms;     // rotated: a newer token replaced it
    std::optional<std::int64_t> revoked_at_ms;  // logged out, or its family was revoked
    std::int64_t family_started_at_ms = 0;      // the sign-in that began this chain of rotations
};

// Milliseconds since the epoch; services take one so tests can move time.
using Clock = std::function<std::int64_t()>;

}  // namespace shop::user
