#pragma once
// SQL for API keys (section 12). A key itself is never stored: only its SHA-256, which is
// what a request's key is looked up by.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model.hpp"
#include "shop/db/database.hpp"
#include "shop/http/route.hpp"

namespace shop::user {

struct ApiKey {
    std::string id;
    std::string name;
    std::vector<http::Scope> scopes;  // distinct, in the order of http::Scope
    std::string created_by;           // the admin who made it
    std::int64_t created_at_ms = 0;
    std::optional<std::int64_t> last_used_at_ms;
};

class ApiKeyRepository {
public:
    // Throws db::ConstraintError for a hash already stored (256 random bits: never in practice).
    void insert(db::Tx& tx, const ApiKey& key, const std::string& key_hash) const;
    // The key and its stored hash, for the hash of a presented key.
    std::optional<std::pair<ApiKey, std::string>> find_by_hash(db::Conn& c, const std::string& key_hash) const;
    std::optional<ApiKey> find(db::Conn& c, const std::string& id) const;
    // Newest first, by (created_at, id); `before`: that key of the previous page's last key.
    std::vector<ApiKey> list(db::Conn& c, const std::optional<ListKey>& before, int limit) const;
    // False for an unknown (or already revoked) id.
    bool remove(db::Tx& tx, const std::string& id) const;
    // Sets last_used_at to now_ms unless it is at or after `not_before_ms`: false then.
    bool touch(db::Tx& tx, const std::string& id, std::int64_t now_ms, std::int64_t not_before_ms) const;
};

// "catalog:read orders:read": how scopes are kept in a column.
std::string scopes_text(const std::vector<http::Scope>& scopes);
std::vector<http::Scope> scopes_from_text(const std::string& text);

}  // namespace shop::user
