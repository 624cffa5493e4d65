#pragma once
// Brute-force protection for sign-in: at most N failed attempts per email and M per client
// address within a sliding window; beyond that every attempt, right password or not, is
// 429 until enough failures age out. Failures live in the database so replicas sharing it
// count together.
#include <cstdint>
#include <string>

#include "model.hpp"
#include "session_repository.hpp"
#include "shop/db/database.hpp"

namespace shop::user {

struct LoginLimits {
    int max_per_email = 10;
    int max_per_ip = 100;
    int window_s = 900;
};

class LoginLimiter {
public:
    LoginLimiter(db::Database& db, const SessionRepository& repo, LoginLimits limits, Clock clock);

    // Counts this attempt as a failure before the password is checked, in the transaction
    // that checks the counts, so parallel guesses cannot slip past the limit. Returns the
    // attempt's id; throws 429 rate_limited with Retry-After when a limit is reached.
    std::string begin(const std::string& email, const std::string& client_ip);
    // The attempt succeeded after all: no failure to remember. Part of the caller's transaction.
    void forgive(db::Tx& tx, const std::string& attempt_id) const;
    // Forgets failures that no longer count.
    void purge();

private:
    db::Database& db_;
    const SessionRepository& repo_;
    LoginLimits limits_;
    Clock clock_;
};

}  // namespace shop::user
