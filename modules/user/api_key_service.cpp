#include "api_key_service.hpp"

#include <algorithm>

#include "shop/core/digest.hpp"
#include "shop/core/error.hpp"
#include "shop/core/log.hpp"
#include "shop/core/random.hpp"
#include "shop/db/errors.hpp"

namespace shop::user {

namespace {
constexpr std::size_t kKeyBytes = 32;  // 256 bits
constexpr std::size_t kEncodedLength = 43;  // base64url of 32 bytes, unpadded
}  // namespace

ApiKeyService::ApiKeyService(db::Database& db, const ApiKeyRepository& keys, Clock clock)
    : db_(db), keys_(keys), clock_(std::move(clock)) {}

bool ApiKeyService::well_formed(std::string_view token) {
    if (token.size() != kPrefix.size() + kEncodedLength || !token.starts_with(kPrefix)) return false;
    return std::all_of(token.begin() + kPrefix.size(), token.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

IssuedApiKey ApiKeyService::create(const NewApiKey& k, const std::string& created_by) {
    ApiKey key{core::new_id("key"), k.name, k.scopes, created_by, clock_(), std::nullopt};
    std::sort(key.scopes.begin(), key.scopes.end());
    key.scopes.erase(std::unique(key.scopes.begin(), key.scopes.end()), key.scopes.end());
    std::string secret = std::string(kPrefix) + core::random_token(kKeyBytes);
    const std::string hash = core::sha256_hex(secret);
    db_.write([&](db::Tx& tx) { keys_.insert(tx, key, hash); });
    return {std::move(key), std::move(secret)};
}

std::vector<ApiKey> ApiKeyService::list(const std::optional<ListKey>& before, int limit) {
    return db_.read([&](db::Conn& c) { return keys_.list(c, before, limit); });
}

void ApiKeyService::revoke(const std::string& id) {
    if (!db_.write([&](db::Tx& tx) { return keys_.remove(tx, id); })) throw Error::not_found("no such API key");
}

std::optional<ApiKey> ApiKeyService::authenticate(std::string_view token) {
    if (!well_formed(token)) return std::nullopt;
    const std::string hash = core::sha256_hex(token);
    auto found = db_.read([&](db::Conn& c) { return keys_.find_by_hash(c, hash); });
    // Defence in depth: the row must hold exactly this hash, whatever the backend's
    // comparison did; compared in constant time.
    if (!found || !core::digest_equal(found->second, hash)) return std::nullopt;
    ApiKey key = std::move(found->first);
    const std::int64_t now = clock_();
    if (!key.last_used_at_ms || *key.last_used_at_ms <= now - kTouchIntervalMs) {
        try {
            db_.write([&](db::Tx& tx) { keys_.touch(tx, key.id, now, now - kTouchIntervalMs + 1); });
            key.last_used_at_ms = now;
        } catch (const db::DbError& e) {
            log::warn("API key {}: last_used_at not recorded: {}", key.id, e.what());
        }
    }
    return key;
}

}  // namespace shop::user
