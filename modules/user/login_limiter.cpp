#include "login_limiter.hpp"

#include "shop/core/random.hpp"
#include "shop/core/error.hpp"

namespace shop::user {

LoginLimiter::LoginLimiter(db::Database& db, const SessionRepository& repo, LoginLimits limits, Clock clock)
    : db_(db), repo_(repo), limits_(limits), clock_(std::move(clock)) {}

std::string LoginLimiter::begin(const std::string& email, const std::string& client_ip) {
    const std::string id = core::new_id("lfail");
    const std::int64_t window_ms = static_cast<std::int64_t>(limits_.window_s) * 1000;
    return db_.write([&](db::Tx& tx) {
        const std::int64_t now = clock_();
        const std::int64_t since = now - window_ms;
        // Blocked until enough of the oldest failures leave the window to get below the
        // limit: the (count - limit)-th oldest is the one that has to go.
        std::int64_t blocked_until = 0;
        std::int64_t by_email = repo_.failures_by_email(tx, email, since);
        if (by_email >= limits_.max_per_email)
            if (auto at = repo_.nth_failure_by_email(tx, email, since, by_email - limits_.max_per_email))
                blocked_until = std::max(blocked_until, *at + window_ms);
        std::int64_t by_ip = repo_.failures_by_ip(tx, client_ip, since);
        if (by_ip >= limits_.max_per_ip)
            if (auto at = repo_.nth_failure_by_ip(tx, client_ip, since, by_ip - limits_.max_per_ip))
                blocked_until = std::max(blocked_until, *at + window_ms);
        if (blocked_until > now) {
            std::int64_t wait_s = std::max<std::int64_t>(1, (blocked_until - now + 999) / 1000);
            Error e("rate_limited", "too many failed sign-ins; try again later");
            e.with_retry_after(static_cast<int>(wait_s));
            throw e;
        }
        repo_.insert_failure(tx, id, email, client_ip, now);
        return id;
    });
}

void LoginLimiter::forgive(db::Tx& tx, const std::string& attempt_id) const {
    repo_.delete_failure(tx, attempt_id);
}

void LoginLimiter::purge() {
    const std::int64_t before = clock_() - static_cast<std::int64_t>(limits_.window_s) * 1000;
    db_.write([&](db::Tx& tx) { repo_.purge_failures(tx, before); });
}

}  // namespace shop::user
