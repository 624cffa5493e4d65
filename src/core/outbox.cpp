#include "shop/core/outbox.hpp"

#include <algorithm>
#include <cstring>

#include "shop/core/random.hpp"
#include "shop/core/time.hpp"

namespace shop::core {

namespace {

constexpr auto kViewColumns =
    "id, kind, key, scope, payload, status, attempts, last_code, last_error, due_at, done_at, created_at";

// A claim on SQLite, where the write transaction holds the whole file, and on PostgreSQL,
// where a replica skips rows another claim has locked instead of waiting for them. Jobs of
// the scopes in `skipped` are left for a later claim (their consumer has no room for them).
std::string claim_sql(db::Dialect dialect, std::size_t skipped) {
    std::string sql =
        "UPDATE outbox_jobs SET due_at = ?, lease = ?, attempts = attempts + 1 WHERE id IN ("
        "SELECT id FROM outbox_jobs WHERE kind = ? AND status = 'pending' AND due_at <= ?";
    if (skipped > 0) {
        sql += " AND scope NOT IN (?";
        for (std::size_t i = 1; i < skipped; ++i) sql += ", ?";
        sql += ")";
    }
    sql += " ORDER BY due_at LIMIT ?";
    if (dialect == db::Dialect::Postgres) sql += " FOR UPDATE SKIP LOCKED";
    return sql + ") RETURNING id, kind, key, scope, payload, attempts, lease, created_at";
}

JobStatus status_of(const std::string& s) {
    if (s == "done") return JobStatus::Done;
    if (s == "failed") return JobStatus::Failed;
    return JobStatus::Pending;
}

JobView view_of(const db::Row& r) {
    JobView v;
    v.id = r.i64(0);
    v.kind = r.str(1);
    v.key = r.str(2);
    v.scope = r.str(3);
    v.payload = r.str(4);
    v.status = status_of(r.str(5));
    v.attempts = static_cast<int>(r.i64(6));
    if (auto code = r.opt_i64(7)) v.last_code = static_cast<int>(*code);
    v.last_error = r.opt_str(8);
    v.due_at_ms = r.i64(9);
    v.done_at_ms = r.opt_i64(10);
    v.created_at_ms = r.i64(11);
    return v;
}

// A claim's token: random, so claims by different processes never share one; never 0,
// which marks a job no one holds.
std::int64_t new_lease() {
    std::string bytes = random_bytes(sizeof(std::int64_t));
    std::uint64_t v = 0;
    std::memcpy(&v, bytes.data(), sizeof v);
    v &= 0x7fffffffffffffffULL;
    return v == 0 ? 1 : static_cast<std::int64_t>(v);
}

std::optional<std::int64_t> code_value(std::optional<int> code) {
    if (!code) return std::nullopt;
    return *code;
}

// One outcome; true when this caller still held the job's lease.
bool apply(db::Tx& tx, const Settlement& s, std::int64_t now) {
    using O = Settlement::Outcome;
    switch (s.outcome) {
        case O::Succeeded:
            return tx.exec("UPDATE outbox_jobs SET status = 'done', lease = 0, done_at = ?, last_code = ?, "
                           "last_error = NULL WHERE id = ? AND lease = ? AND status = 'pending'",
                           now, code_value(s.code), s.id, s.lease) == 1;
        case O::Failed:
            return tx.exec("UPDATE outbox_jobs SET lease = 0, due_at = ?, last_code = ?, last_error = ? "
                           "WHERE id = ? AND lease = ? AND status = 'pending'",
                           s.next_due_at_ms, code_value(s.code), s.error, s.id, s.lease) == 1;
        case O::GaveUp:
            return tx.exec("UPDATE outbox_jobs SET status = 'failed', lease = 0, last_code = ?, last_error = ? "
                           "WHERE id = ? AND lease = ? AND status = 'pending'",
                           code_value(s.code), s.error, s.id, s.lease) == 1;
        case O::Postponed:
            return tx.exec("UPDATE outbox_jobs SET lease = 0, due_at = ?, attempts = attempts - 1 "
                           "WHERE id = ? AND lease = ? AND status = 'pending'",
                           s.next_due_at_ms, s.id, s.lease) == 1;
    }
    return false;
}

}  // namespace

std::string_view to_string(JobStatus s) {
    switch (s) {
        case JobStatus::Done: return "done";
        case JobStatus::Failed: return "failed";
        case JobStatus::Pending: break;
    }
    return "pending";
}

Settlement Settlement::succeeded(const ClaimedJob& j, std::optional<int> code) {
    return {j.id, j.lease, Outcome::Succeeded, {}, code, 0};
}
Settlement Settlement::failed(const ClaimedJob& j, std::string error, std::int64_t next_due_at_ms,
                              std::optional<int> code) {
    return {j.id, j.lease, Outcome::Failed, std::move(error), code, next_due_at_ms};
}
Settlement Settlement::gave_up(const ClaimedJob& j, std::string error, std::optional<int> code) {
    return {j.id, j.lease, Outcome::GaveUp, std::move(error), code, 0};
}
Settlement Settlement::postponed(const ClaimedJob& j, std::int64_t next_due_at_ms) {
    return {j.id, j.lease, Outcome::Postponed, {}, {}, next_due_at_ms};
}

std::optional<std::chrono::milliseconds> Backoff::delay(int attempt) const {
    if (attempt < 1 || attempt >= max_attempts) return std::nullopt;
    // Doubling past 2^30 would overflow long before any sane base makes it useful.
    const int shift = std::min(attempt - 1, 30);
    const auto cap = std::chrono::milliseconds(std::int64_t{1} << 52);
    if (base.count() > (cap.count() >> shift)) return cap;
    return base * (std::int64_t{1} << shift);
}

std::optional<std::int64_t> Backoff::next_due(int attempt, std::int64_t now) const {
    auto d = delay(attempt);
    if (!d) return std::nullopt;
    return now + d->count();
}

std::optional<std::int64_t> Backoff::next_due(int attempt) const { return next_due(attempt, now_ms()); }

Outbox::Outbox(db::Database& db, Clock clock) : db_(db), clock_(clock ? std::move(clock) : Clock(&now_ms)) {}

bool Outbox::enqueue(db::Tx& tx, const NewJob& job) {
    const std::int64_t now = now_ms();
    return tx.exec("INSERT INTO outbox_jobs(kind, key, scope, payload, status, attempts, due_at, lease, created_at) "
                   "VALUES (?, ?, ?, ?, 'pending', 0, ?, 0, ?) ON CONFLICT (kind, key) DO NOTHING",
                   job.kind, job.key, job.scope, job.payload, job.due_at_ms.value_or(now), now) == 1;
}

bool Outbox::enqueue(db::Tx& tx, std::string kind, std::string key, std::string payload,
                     std::optional<std::int64_t> due_at_ms, std::string scope) {
    NewJob job;
    job.kind = std::move(kind);
    job.key = std::move(key);
    job.payload = std::move(payload);
    job.scope = std::move(scope);
    job.due_at_ms = due_at_ms;
    return enqueue(tx, job);
}

std::vector<ClaimedJob> Outbox::claim(std::string_view kind, int n, std::chrono::milliseconds lease,
                                      std::span<const std::string> skipped_scopes) {
    if (n <= 0) return {};
    const std::int64_t now = clock_();
    const std::int64_t until = now + lease.count();
    const std::int64_t token = new_lease();
    std::vector<db::Value> params{until, token, std::string(kind), now};
    for (const auto& scope : skipped_scopes) params.emplace_back(scope);
    params.emplace_back(std::int64_t{n});
    return db_.write([&](db::Tx& tx) {
        // The lease is the due time: a leased job is not due until its lease ends, so the
        // one index of due pending jobs answers both "due" and "not held".
        std::vector<ClaimedJob> out;
        for (const auto& r : tx.query_values(claim_sql(tx.dialect(), skipped_scopes.size()), params)) {
            out.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), static_cast<int>(r.i64(5)), r.i64(6),
                           r.i64(7)});
        }
        return out;
    });
}

std::size_t Outbox::settle(const std::vector<Settlement>& outcomes) {
    if (outcomes.empty()) return 0;
    const std::int64_t now = clock_();
    return db_.write([&](db::Tx& tx) {
        std::size_t n = 0;
        for (const auto& s : outcomes) n += apply(tx, s, now) ? 1 : 0;
        return n;
    });
}

bool Outbox::succeed(const ClaimedJob& j, std::optional<int> code) {
    return settle({Settlement::succeeded(j, code)}) == 1;
}
bool Outbox::fail(const ClaimedJob& j, std::string error, std::int64_t next_due_at_ms, std::optional<int> code) {
    return settle({Settlement::failed(j, std::move(error), next_due_at_ms, code)}) == 1;
}
bool Outbox::give_up(const ClaimedJob& j, std::string error, std::optional<int> code) {
    return settle({Settlement::gave_up(j, std::move(error), code)}) == 1;
}
bool Outbox::postpone(const ClaimedJob& j, std::int64_t next_due_at_ms) {
    return settle({Settlement::postponed(j, next_due_at_ms)}) == 1;
}

bool Outbox::retry_now(db::Tx& tx, std::string_view kind, std::int64_t id, std::int64_t now) {
    return tx.exec("UPDATE outbox_jobs SET status = 'pending', due_at = ?, lease = 0, done_at = NULL "
                   "WHERE kind = ? AND id = ?",
                   now, kind, id) == 1;
}

std::int64_t Outbox::wake(db::Tx& tx, std::string_view kind, std::string_view scope, std::int64_t now) {
    // Leased jobs keep their lease (their due time is its end).
    return tx.exec("UPDATE outbox_jobs SET due_at = ? WHERE kind = ? AND scope = ? AND status = 'pending' "
                   "AND lease = 0 AND due_at > ?",
                   now, kind, scope, now);
}

std::int64_t Outbox::remove(db::Tx& tx, std::string_view kind, std::string_view scope) {
    return tx.exec("DELETE FROM outbox_jobs WHERE kind = ? AND scope = ?", kind, scope);
}

std::vector<JobView> Outbox::list(db::Conn& c, std::string_view kind, std::string_view scope,
                                  std::int64_t before_id, int limit) {
    std::vector<JobView> out;
    const std::string sql = std::string("SELECT ") + kViewColumns +
                            " FROM outbox_jobs WHERE kind = ? AND scope = ? AND id < ? ORDER BY id DESC LIMIT ?";
    const std::int64_t below = before_id > 0 ? before_id : INT64_MAX;
    for (const auto& r : c.query(sql, kind, scope, below, limit)) out.push_back(view_of(r));
    return out;
}

std::optional<JobView> Outbox::find(db::Conn& c, std::string_view kind, std::int64_t id) {
    auto r = c.query_one(std::string("SELECT ") + kViewColumns + " FROM outbox_jobs WHERE kind = ? AND id = ?", kind,
                         id);
    if (!r) return std::nullopt;
    return view_of(*r);
}

bool Outbox::any_due(std::string_view kind) {
    const std::int64_t now = clock_();
    return db_.read([&](db::Conn& c) {
        return c.query_one("SELECT 1 FROM outbox_jobs WHERE kind = ? AND status = 'pending' AND due_at <= ? LIMIT 1",
                           kind, now)
            .has_value();
    });
}

std::int64_t Outbox::purge(std::string_view kind, std::chrono::milliseconds age) {
    const std::int64_t cutoff = clock_() - age.count();
    return db_.write([&](db::Tx& tx) {
        return tx.exec("DELETE FROM outbox_jobs WHERE kind = ? AND status <> 'pending' AND created_at < ?", kind,
                       cutoff);
    });
}

}  // namespace shop::core
