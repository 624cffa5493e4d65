#include "session_repository.hpp"

namespace shop::user {

void SessionRepository::insert_refresh(db::Tx& tx, const std::string& token_hash, const std::string& family_id,
                                       const std::string& user_id, std::int64_t now_ms,
                                       std::int64_t expires_at_ms, std::int64_t family_started_ms) const {
    tx.exec(
        "INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at, family_started_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        token_hash, family_id, user_id, now_ms, expires_at_ms, family_started_ms);
}

std::optional<RefreshRecord> SessionRepository::find_refresh(db::Conn& c, const std::string& token_hash) const {
    auto row = c.query_one(
        "SELECT family_id, user_id, expires_at, used_at, revoked_at, family_started_at FROM refresh_tokens "
        "WHERE token_hash = ?",
        token_hash);
    if (!row) return std::nullopt;
    return RefreshRecord{row->str(0), row->str(1), row->i64(2), row->opt_i64(3), row->opt_i64(4), row->i64(5)};
}

bool SessionRepository::mark_used(db::Tx& tx, const std::string& token_hash, std::int64_t now_ms) const {
    return tx.exec(
               "UPDATE refresh_tokens SET used_at = ?"
               " WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
               now_ms, token_hash, now_ms) == 1;
}

bool SessionRepository::revoke(db::Tx& tx, const std::string& token_hash, std::int64_t now_ms) const {
    return tx.exec("UPDATE refresh_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL", now_ms,
                   token_hash) == 1;
}

void SessionRepository::revoke_family(db::Tx& tx, const std::string& family_id, std::int64_t now_ms) const {
    tx.exec("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL", now_ms, family_id);
}

void SessionRepository::revoke_user(db::Tx& tx, const std::string& user_id, std::int64_t now_ms) const {
    tx.exec("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", now_ms, user_id);
}

std::int64_t SessionRepository::purge_refresh(db::Tx& tx, std::int64_t expired_before_ms) const {
    return tx.exec("DELETE FROM refresh_tokens WHERE expires_at < ?", expired_before_ms);
}

void SessionRepository::insert_failure(db::Tx& tx, const std::string& id, const std::string& email,
                                       const std::string& client_ip, std::int64_t at_ms) const {
    tx.exec("INSERT INTO login_failures (id, email, client_ip, at) VALUES (?, ?, ?, ?)", id, email, client_ip, at_ms);
}

void SessionRepository::delete_failure(db::Tx& tx, const std::string& id) const {
    tx.exec("DELETE FROM login_failures WHERE id = ?", id);
}

std::int64_t SessionRepository::failures_by_email(db::Conn& c, const std::string& email, std::int64_t since_ms) const {
    return c.query("SELECT COUNT(*) FROM login_failures WHERE email = ? AND at > ?", email, since_ms).front().i64(0);
}

std::int64_t SessionRepository::failures_by_ip(db::Conn& c, const std::string& client_ip, std::int64_t since_ms) const {
    return c.query("SELECT COUNT(*) FROM login_failures WHERE client_ip = ? AND at > ?", client_ip, since_ms)
        .front()
        .i64(0);
}

std::optional<std::int64_t> SessionRepository::nth_failure_by_email(db::Conn& c, const std::string& email,
                                                                    std::int64_t since_ms, std::int64_t n) const {
    auto row = c.query_one("SELECT at FROM login_failures WHERE email = ? AND at > ? ORDER BY at LIMIT 1 OFFSET ?",
                           email, since_ms, n);
    if (!row) return std::nullopt;
    return row->i64(0);
}

std::optional<std::int64_t> SessionRepository::nth_failure_by_ip(db::Conn& c, const std::string& client_ip,
                                                                 std::int64_t since_ms, std::int64_t n) const {
    auto row = c.query_one("SELECT at FROM login_failures WHERE client_ip = ? AND at > ? ORDER BY at LIMIT 1 OFFSET ?",
                           client_ip, since_ms, n);
    if (!row) return std::nullopt;
    return row->i64(0);
}

std::int64_t SessionRepository::purge_failures(db::Tx& tx, std::int64_t before_ms) const {
    return tx.exec("DELETE FROM login_failures WHERE at <= ?", before_ms);
}

}  // namespace shop::user
