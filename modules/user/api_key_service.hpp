#pragma once
// API keys (section 12): an admin makes one with a name and scopes; the key is 256 random
// bits shown once and kept only as a SHA-256. Every request presenting a key looks it up by
// that hash (one indexed read), so a revoked key is refused at once by every process sharing
// the database: nothing about a key's validity is cached. last_used_at is written at most
// once a minute per key (kTouchIntervalMs), not on every request.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api_key_repository.hpp"
#include "model.hpp"
#include "shop/db/database.hpp"

namespace shop::user {

struct NewApiKey {
    std::string name;
    std::vector<http::Scope> scopes;  // non-empty, distinct
};

struct IssuedApiKey {
    ApiKey key;
    std::string secret;  // "sk_...": returned this once, never stored
};

class ApiKeyService {
public:
    static constexpr std::string_view kPrefix = "sk_";
    static constexpr std::int64_t kTouchIntervalMs = 60'000;

    ApiKeyService(db::Database& db, const ApiKeyRepository& keys, Clock clock);

    // The scopes are kept in the order of http::Scope, whatever the order asked for.
    IssuedApiKey create(const NewApiKey& k, const std::string& created_by);
    std::vector<ApiKey> list(const std::optional<ListKey>& before, int limit);
    // 404 not_found for an unknown (or already revoked) id.
    void revoke(const std::string& id);
    // The live key `token` is, or nullopt (not a key of this shop, or revoked). Records the
    // use when the last one recorded is a minute old or more; a failure to record it is
    // logged and does not refuse the request.
    std::optional<ApiKey> authenticate(std::string_view token);

    // Whether `token` has the shape of a key ("sk_" and 43 base64url characters): anything
    // else is refused without reading the database.
    static bool well_formed(std::string_view token);

private:
    db::Database& db_;
    const ApiKeyRepository& keys_;
    Clock clock_;
};

}  // namespace shop::user
