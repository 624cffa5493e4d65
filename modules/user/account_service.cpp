#include "account_service.hpp"

#include "shop/core/random.hpp"
#include "shop/db/errors.hpp"
#include "shop/core/error.hpp"
#include "shop/events/user_events.hpp"

namespace shop::user {

namespace {
Error unknown_user() {
    return Error::not_found("no such user");
}
// The token was valid but its account is gone (a database restored from an older backup).
Error account_gone() {
    return Error::unauthorized("this account no longer exists");
}
}  // namespace

AccountService::AccountService(db::Database& db, const UserRepository& users, const SessionRepository& sessions,
                               const PasswordHasher& hasher, LoginLimiter& limiter, Clock clock)
    : db_(db), users_(users), sessions_(sessions), hasher_(hasher), limiter_(limiter), clock_(std::move(clock)) {}

User AccountService::insert(const NewAccount& a, bool if_absent, bool& created) {
    // Hashing is slow and not database work, so it happens before the transaction.
    const std::string hash = hasher_.hash(a.password);
    User u{core::new_id("usr"), a.email, a.name, a.role, clock_()};
    try {
        created = db_.write([&](db::Tx& tx) {
            if (if_absent) {
                if (!users_.insert_if_absent(tx, u, hash)) return false;
            } else {
                users_.insert(tx, u, hash);
            }
            tx.emit(events::UserRegistered{u.id});
            return true;
        });
    } catch (const db::ConstraintError&) {
        throw Error("email_taken", "an account with this email already exists");
    }
    return u;
}

User AccountService::create(const NewAccount& a) {
    bool created = false;
    return insert(a, false, created);
}

bool AccountService::create_if_absent(const NewAccount& a) {
    bool created = false;
    insert(a, true, created);
    return created;
}

std::optional<User> AccountService::find(const std::string& id) {
    return db_.read([&](db::Conn& c) { return users_.find(c, id); });
}

std::optional<User> AccountService::find_by_email(const std::string& email) {
    auto creds = db_.read([&](db::Conn& c) { return users_.find_by_email(c, email); });
    if (!creds) return std::nullopt;
    return creds->user;
}

User AccountService::update_profile(const std::string& id, const ProfileChange& change, const std::string& client_ip) {
    std::optional<std::string> new_hash;
    std::optional<std::string> attempt;
    if (change.password) {
        if (!change.current_password)
            throw Error::validation("current_password", "is required to change the password");
        auto user = find(id);
        if (!user) throw account_gone();
        // A stolen access token must not become a way to guess the password unthrottled.
        attempt = limiter_.begin(user->email, client_ip);
        auto hash = db_.read([&](db::Conn& c) { return users_.password_hash(c, id); });
        if (!hash || !hasher_.verify(*hash, *change.current_password))
            throw Error::validation("current_password", "is not the current password");
        new_hash = hasher_.hash(*change.password);
    }
    const std::int64_t now = clock_();
    auto updated = db_.write([&](db::Tx& tx) {
        if (attempt) limiter_.forgive(tx, *attempt);
        if (change.name && !users_.set_name(tx, id, *change.name, now)) throw account_gone();
        if (new_hash) {
            if (!users_.set_password(tx, id, *new_hash, now)) throw account_gone();
            sessions_.revoke_user(tx, id, now);
        }
        return users_.find(tx, id);
    });
    if (!updated) throw account_gone();
    return *updated;
}

User AccountService::change_role(const std::string& id, http::Role role) {
    const std::int64_t now = clock_();
    return db_.write([&](db::Tx& tx) {
        auto u = users_.find(tx, id);
        if (!u) throw unknown_user();
        if (u->role == role) return *u;
        // Read in the writing transaction: two admins demoting each other at once cannot
        // both succeed (SQLite serialises writers; PostgreSQL's serializable retry rereads).
        if (u->role == http::Role::Admin && users_.count_admins(tx) <= 1)
            throw Error("last_admin", "this is the shop's only administrator; make another one first");
        users_.set_role(tx, id, role, now);
        tx.emit(events::UserRoleChanged{id, std::string(http::to_string(role))});
        u->role = role;
        return *u;
    });
}

std::vector<User> AccountService::list(const std::optional<ListKey>& before, int limit) {
    return db_.read([&](db::Conn& c) { return users_.list(c, before, limit); });
}

}  // namespace shop::user
