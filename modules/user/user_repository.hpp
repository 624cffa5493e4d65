#pragma once
// SQL for accounts and the module's secrets.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "shop/db/database.hpp"

namespace shop::user {

class UserRepository {
public:
    std::optional<User> find(db::Conn& c, std::string_view id) const;
    std::optional<Credentials> find_by_email(db::Conn& c, std::string_view email) const;
    std::optional<std::string> password_hash(db::Conn& c, std::string_view id) const;
    // Throws db::ConstraintError when the email is taken.
    void insert(db::Tx& tx, const User& u, const std::string& password_hash) const;
    // False when the email is taken (replicas bootstrapping the same admin at once).
    bool insert_if_absent(db::Tx& tx, const User& u, const std::string& password_hash) const;
    bool set_name(db::Tx& tx, std::string_view id, const std::string& name, std::int64_t now_ms) const;
    // set_password and set_role raise the user's token generation: earlier access tokens end.
    bool set_password(db::Tx& tx, std::string_view id, const std::string& hash, std::int64_t now_ms) const;
    // Only if the hash is still `old_hash`: a re-hash never overwrites a password changed meanwhile.
    bool replace_password_hash(db::Tx& tx, std::string_view id, const std::string& old_hash,
                               const std::string& new_hash) const;
    bool set_role(db::Tx& tx, std::string_view id, http::Role role, std::int64_t now_ms) const;
    std::int64_t count_admins(db::Conn& c) const;
    // The user's token generation (one primary-key read: the bearer check of every request);
    // nullopt for an unknown user.
    std::optional<std::int64_t> token_generation(db::Conn& c, std::string_view id) const;
    // Newest first, by (created_at, id); `before`: that key of the previous page's last user.
    std::vector<User> list(db::Conn& c, const std::optional<ListKey>& before, int limit) const;
    // The stored value of `name`, storing `candidate` first if there is none, so every
    // process sharing the database ends up with the same value.
    std::string shared_secret(db::Tx& tx, std::string_view name, const std::string& candidate,
                              std::int64_t now_ms) const;
};

}  // namespace shop::user
