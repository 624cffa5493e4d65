#include "user_repository.hpp"

namespace shop::user {

namespace {
constexpr auto kColumns = "id, email, name, role, created_at, token_generation";

User to_user(const db::Row& r) {
    return User{r.str(0), r.str(1), r.str(2), http::role_from_string(r.str(3)).value_or(http::Role::Customer),
                r.i64(4), r.i64(5)};
}

std::string role_text(http::Role r) {
    return std::string(http::to_string(r));
}
}  // namespace

std::optional<User> UserRepository::find(db::Conn& c, std::string_view id) const {
    auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM users WHERE id = ?", id);
    if (!row) return std::nullopt;
    return to_user(*row);
}

std::optional<Credentials> UserRepository::find_by_email(db::Conn& c, std::string_view email) const {
    auto row = c.query_one(std::string("SELECT ") + kColumns + ", password_hash FROM users WHERE email = ?", email);
    if (!row) return std::nullopt;
    return Credentials{to_user(*row), row->str(6)};
}

std::optional<std::string> UserRepository::password_hash(db::Conn& c, std::string_view id) const {
    auto row = c.query_one("SELECT password_hash FROM users WHERE id = ?", id);
    if (!row) return std::nullopt;
    return row->str(0);
}

void UserRepository::insert(db::Tx& tx, const User& u, const std::string& hash) const {
    tx.exec(
        "INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        u.id, u.email, u.name, role_text(u.role), hash, u.created_at_ms, u.created_at_ms);
}

bool UserRepository::insert_if_absent(db::Tx& tx, const User& u, const std::string& hash) const {
    return tx.exec(
               "INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
               u.id, u.email, u.name, role_text(u.role), hash, u.created_at_ms, u.created_at_ms) == 1;
}

bool UserRepository::set_name(db::Tx& tx, std::string_view id, const std::string& name, std::int64_t now_ms) const {
    return tx.exec("UPDATE users SET name = ?, updated_at = ? WHERE id = ?", name, now_ms, id) == 1;
}

bool UserRepository::set_password(db::Tx& tx, std::string_view id, const std::string& hash, std::int64_t now_ms) const {
    return tx.exec(
               "UPDATE users SET password_hash = ?, updated_at = ?, token_generation = token_generation + 1"
               " WHERE id = ?",
               hash, now_ms, id) == 1;
}

bool UserRepository::replace_password_hash(db::Tx& tx, std::string_view id, const std::string& old_hash,
                                           const std::string& new_hash) const {
    return tx.exec("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?", new_hash, id, old_hash) ==
           1;
}

std::int64_t UserRepository::count_admins(db::Conn& c) const {
    return c.query_one("SELECT COUNT(*) FROM users WHERE role = 'admin'")->i64(0);
}

bool UserRepository::set_role(db::Tx& tx, std::string_view id, http::Role role, std::int64_t now_ms) const {
    return tx.exec(
               "UPDATE users SET role = ?, updated_at = ?, token_generation = token_generation + 1 WHERE id = ?",
               role_text(role), now_ms, id) == 1;
}

std::optional<std::int64_t> UserRepository::token_generation(db::Conn& c, std::string_view id) const {
    auto row = c.query_one("SELECT token_generation FROM users WHERE id = ?", id);
    if (!row) return std::nullopt;
    return row->i64(0);
}

std::vector<User> UserRepository::list(db::Conn& c, const std::optional<ListKey>& before, int limit) const {
    db::Rows rows =
        before ? c.query(std::string("SELECT ") + kColumns +
                             " FROM users WHERE created_at < ? OR (created_at = ? AND id < ?)"
                             " ORDER BY created_at DESC, id DESC LIMIT ?",
                         before->created_at_ms, before->created_at_ms, before->id, limit)
               : c.query(std::string("SELECT ") + kColumns + " FROM users ORDER BY created_at DESC, id DESC LIMIT ?",
                         limit);
    std::vector<User> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(to_user(r));
    return out;
}

std::string UserRepository::shared_secret(db::Tx& tx, std::string_view name, const std::string& candidate,
                                          std::int64_t now_ms) const {
    tx.exec("INSERT INTO user_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING", name,
            candidate, now_ms);
    return tx.query_one("SELECT value FROM user_secrets WHERE name = ?", name)->str(0);
}

}  // namespace shop::user
