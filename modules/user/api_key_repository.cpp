#include "api_key_repository.hpp"

namespace shop::user {

namespace {
constexpr auto kColumns = "id, name, scopes, created_by, created_at, last_used_at";

ApiKey to_key(const db::Row& r) {
    return ApiKey{r.str(0), r.str(1), scopes_from_text(r.str(2)), r.str(3), r.i64(4), r.opt_i64(5)};
}
}  // namespace

std::string scopes_text(const std::vector<http::Scope>& scopes) {
    std::string out;
    for (http::Scope s : scopes) {
        if (!out.empty()) out += ' ';
        out += http::to_string(s);
    }
    return out;
}

std::vector<http::Scope> scopes_from_text(const std::string& text) {
    // A name this binary does not know (written by a newer one) grants nothing here.
    std::vector<http::Scope> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        if (auto s = http::scope_from_string(std::string_view(text).substr(start, end - start))) out.push_back(*s);
        start = end + 1;
    }
    return out;
}

void ApiKeyRepository::insert(db::Tx& tx, const ApiKey& k, const std::string& key_hash) const {
    tx.exec("INSERT INTO api_keys (id, name, scopes, key_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            k.id, k.name, scopes_text(k.scopes), key_hash, k.created_by, k.created_at_ms);
}

std::optional<std::pair<ApiKey, std::string>> ApiKeyRepository::find_by_hash(db::Conn& c,
                                                                             const std::string& key_hash) const {
    auto row = c.query_one(std::string("SELECT ") + kColumns + ", key_hash FROM api_keys WHERE key_hash = ?",
                           key_hash);
    if (!row) return std::nullopt;
    return std::pair{to_key(*row), row->str(6)};
}

std::optional<ApiKey> ApiKeyRepository::find(db::Conn& c, const std::string& id) const {
    auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM api_keys WHERE id = ?", id);
    if (!row) return std::nullopt;
    return to_key(*row);
}

std::vector<ApiKey> ApiKeyRepository::list(db::Conn& c, const std::optional<ListKey>& before, int limit) const {
    db::Rows rows =
        before ? c.query(std::string("SELECT ") + kColumns +
                             " FROM api_keys WHERE created_at < ? OR (created_at = ? AND id < ?)"
                             " ORDER BY created_at DESC, id DESC LIMIT ?",
                         before->created_at_ms, before->created_at_ms, before->id, limit)
               : c.query(std::string("SELECT ") + kColumns + " FROM api_keys ORDER BY created_at DESC, id DESC LIMIT ?",
                         limit);
    std::vector<ApiKey> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(to_key(r));
    return out;
}

bool ApiKeyRepository::remove(db::Tx& tx, const std::string& id) const {
    return tx.exec("DELETE FROM api_keys WHERE id = ?", id) == 1;
}

bool ApiKeyRepository::touch(db::Tx& tx, const std::string& id, std::int64_t now_ms,
                             std::int64_t not_before_ms) const {
    return tx.exec("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                   now_ms, id, not_before_ms) == 1;
}

}  // namespace shop::user
