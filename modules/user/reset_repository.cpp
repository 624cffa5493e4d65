#include "reset_repository.hpp"

namespace shop::user {

void ResetRepository::insert(db::Tx& tx, const std::string& token_hash, const std::string& email,
                             const std::optional<std::string>& user_id, std::int64_t now_ms,
                             std::int64_t expires_at_ms) const {
    tx.exec("INSERT INTO password_resets (token_hash, email, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            token_hash, email, user_id, now_ms, expires_at_ms);
}

std::optional<ResetRecord> ResetRepository::find(db::Conn& c, const std::string& token_hash) const {
    auto row = c.query_one("SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = ?", token_hash);
    if (!row) return std::nullopt;
    return ResetRecord{row->opt_str(0), row->i64(1), row->opt_i64(2)};
}

std::int64_t ResetRepository::count_since(db::Conn& c, const std::string& email, std::int64_t since_ms) const {
    return c.query("SELECT COUNT(*) FROM password_resets WHERE email = ? AND created_at > ?", email, since_ms)
        .front()
        .i64(0);
}

bool ResetRepository::use(db::Tx& tx, const std::string& token_hash, std::int64_t now_ms) const {
    return tx.exec(
               "UPDATE password_resets SET used_at = ?"
               " WHERE token_hash = ? AND user_id IS NOT NULL AND used_at IS NULL AND expires_at > ?",
               now_ms, token_hash, now_ms) == 1;
}

void ResetRepository::use_all(db::Tx& tx, const std::string& user_id, std::int64_t now_ms) const {
    tx.exec("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL", now_ms, user_id);
}

std::int64_t ResetRepository::purge(db::Tx& tx, std::int64_t expired_before_ms) const {
    return tx.exec("DELETE FROM password_resets WHERE expires_at < ?", expired_before_ms);
}

}  // namespace shop::user
