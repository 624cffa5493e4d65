#pragma once
// A durable job queue in the database, shared by every module that sends something out of
// the process (webhook deliveries, e-mail). Work is enqueued inside the transaction of the
// change that causes it, so it exists exactly when that change does, and is sent later by
// a background job, never inside a request.
//
//   // in a write transaction (an event projection, a service):
//   core::Outbox::enqueue(tx, "mail", "order_paid:ord_1", body.dump());
//   // in a Module::jobs() timer:
//   for (auto& job : outbox.claim("mail", 50, std::chrono::seconds(60))) {
//       if (send(job.payload)) outbox.succeed(job);
//       else if (auto later = backoff.next_due(job.attempts)) outbox.fail(job, "smtp 451", *later);
//       else outbox.give_up(job, "smtp 451");
//   }
//
// A job is (kind, key): enqueueing a key that exists does nothing, so projections that
// re-apply events stay idempotent. claim() leases due jobs to the caller until the lease
// ends: while leased no other claim (another thread, another process on the same SQLite
// file, another replica on PostgreSQL) can take the job; a lease that ends unsettled (the
// process died) makes the job due again. Settling (succeed/fail/give_up/postpone) takes
// effect only while the caller still holds the lease, so a claimer that outlived its lease
// cannot overwrite the newer claimer's outcome. A job is therefore attempted at least once
// and, while attempts end within their lease, exactly once.
//
// attempts counts claims: the first claim of a job returns attempts == 1. Jobs are kept
// after they finish (the webhook delivery log reads them).
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shop/db/database.hpp"

namespace shop::core {

enum class JobStatus { Pending, Done, Failed };
std::string_view to_string(JobStatus s);  // "pending", "done", "failed"

struct NewJob {
    std::string kind;     // the sender's name: "webhook", "mail"
    std::string key;      // unique within kind
    std::string payload;  // opaque to the outbox (usually JSON text)
    std::string scope;    // optional grouping the sender lists or acts on (a webhook endpoint id)
    std::optional<std::int64_t> due_at_ms;  // epoch ms; unset: now
};

// A job leased to this caller by claim().
struct ClaimedJob {
    std::int64_t id = 0;
    std::string kind;
    std::string key;
    std::string scope;
    std::string payload;
    int attempts = 0;          // including this one
    std::int64_t lease = 0;    // this claim's token; settling checks it
    std::int64_t created_at_ms = 0;
};

// A job as the outbox holds it, for listings.
struct JobView {
    std::int64_t id = 0;
    std::string kind;
    std::string key;
    std::string scope;
    std::string payload;
    JobStatus status = JobStatus::Pending;
    int attempts = 0;
    std::optional<int> last_code;       // what the last attempt's peer answered (HTTP, SMTP status)
    std::optional<std::string> last_error;
    std::int64_t due_at_ms = 0;         // next attempt (while leased: the lease's end)
    std::optional<std::int64_t> done_at_ms;
    std::int64_t created_at_ms = 0;
};

// How an attempt ended, for settle().
struct Settlement {
    enum class Outcome { Succeeded, Failed, GaveUp, Postponed };
    std::int64_t id = 0;
    std::int64_t lease = 0;
    Outcome outcome = Outcome::Succeeded;
    std::string error;                  // Failed/GaveUp: why
    std::optional<int> code;            // the peer's status code, when there was one
    std::int64_t next_due_at_ms = 0;    // Failed/Postponed: when to try again

    static Settlement succeeded(const ClaimedJob& j, std::optional<int> code = {});
    static Settlement failed(const ClaimedJob& j, std::string error, std::int64_t next_due_at_ms,
                             std::optional<int> code = {});
    static Settlement gave_up(const ClaimedJob& j, std::string error, std::optional<int> code = {});
    // Not an attempt: the job goes back unchanged but for its due time, and its attempt
    // count is what it was before this claim (e.g. the receiver is disabled for now).
    static Settlement postponed(const ClaimedJob& j, std::int64_t next_due_at_ms);
};

// Exponential backoff: attempt n (1-based) that failed is retried after base * 2^(n-1),
// until max_attempts attempts have been made.
struct Backoff {
    std::chrono::milliseconds base{60000};
    int max_attempts = 10;

    // The wait after attempt `attempt` failed; nullopt when no attempt is left.
    std::optional<std::chrono::milliseconds> delay(int attempt) const;
    // now + delay(attempt), in epoch ms; nullopt when no attempt is left.
    std::optional<std::int64_t> next_due(int attempt, std::int64_t now_ms) const;
    std::optional<std::int64_t> next_due(int attempt) const;
};

class Outbox {
public:
    using Clock = std::function<std::int64_t()>;  // epoch ms
    // clock: core::now_ms unless a test gives its own.
    explicit Outbox(db::Database& db, Clock clock = {});

    // In the caller's transaction. true when the job is new; false when (kind, key) exists
    // (nothing changes then).
    static bool enqueue(db::Tx& tx, const NewJob& job);
    static bool enqueue(db::Tx& tx, std::string kind, std::string key, std::string payload,
                        std::optional<std::int64_t> due_at_ms = {}, std::string scope = {});

    // Leases up to n due pending jobs of `kind`, oldest due first, until now + lease, in
    // its own write transaction; none of the scopes in `skipped_scopes` (a consumer that has
    // no room for more of a scope's jobs leaves them due for the next claim).
    std::vector<ClaimedJob> claim(std::string_view kind, int n, std::chrono::milliseconds lease,
                                  std::span<const std::string> skipped_scopes = {});

    // Records outcomes, all in one write transaction. Returns how many took effect (an
    // outcome for a job whose lease this caller no longer holds is dropped).
    std::size_t settle(const std::vector<Settlement>& outcomes);
    bool succeed(const ClaimedJob& j, std::optional<int> code = {});
    bool fail(const ClaimedJob& j, std::string error, std::int64_t next_due_at_ms, std::optional<int> code = {});
    bool give_up(const ClaimedJob& j, std::string error, std::optional<int> code = {});
    bool postpone(const ClaimedJob& j, std::int64_t next_due_at_ms);

    // Makes a job of `kind` pending and due now whatever its status (a manual retry); its
    // attempts keep counting. false when there is no such job. Any current lease ends.
    static bool retry_now(db::Tx& tx, std::string_view kind, std::int64_t id, std::int64_t now_ms);
    // Makes every pending job of (kind, scope) due now (e.g. a receiver enabled again).
    static std::int64_t wake(db::Tx& tx, std::string_view kind, std::string_view scope, std::int64_t now_ms);
    // Deletes every job of (kind, scope), whatever its status.
    static std::int64_t remove(db::Tx& tx, std::string_view kind, std::string_view scope);

    // Listings: jobs of (kind, scope), newest first, with id below `before_id` (0: from the
    // newest); one job by id.
    static std::vector<JobView> list(db::Conn& c, std::string_view kind, std::string_view scope,
                                     std::int64_t before_id, int limit);
    static std::optional<JobView> find(db::Conn& c, std::string_view kind, std::int64_t id);

    // Whether any pending job of `kind` is due (a cheap read before a claim's write).
    bool any_due(std::string_view kind);

    // Forgets finished (done or failed) jobs of `kind` older than `age`.
    std::int64_t purge(std::string_view kind, std::chrono::milliseconds age);

    std::int64_t now() const { return clock_(); }

private:
    db::Database& db_;
    Clock clock_;
};

}  // namespace shop::core
