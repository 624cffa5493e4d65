#include "db/postgres/pg_database.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <random>
#include <thread>

#include "shop/core/log.hpp"
#include "shop/core/time.hpp"
#include "shop/db/errors.hpp"

namespace shop::db::postgres {

namespace {

// The transaction handed to a write function.
class PgTx final : public Tx {
public:
    PgTx(Connection& c, const events::Bus& bus, std::vector<events::Event>& events,
         std::unique_lock<std::timed_mutex>& order)
        : c_(c), bus_(bus), events_(events), order_(order) {}
    Dialect dialect() const override { return Dialect::Postgres; }
    Rows query_values(std::string_view sql, std::span<const Value> params) override { return c_.query(sql, params); }
    std::int64_t exec_values(std::string_view sql, std::span<const Value> params) override {
        return c_.exec(sql, params);
    }
    void emit(std::string type, nlohmann::json data) override {
        if (!order_.owns_lock() && !order_.try_lock_for(std::chrono::milliseconds(100)))
            throw RetryError("another transaction of this process is emitting events");
        events_.push_back(bus_.record(*this, std::move(type), std::move(data)));
    }

private:
    Connection& c_;
    const events::Bus& bus_;
    std::vector<events::Event>& events_;
    std::unique_lock<std::timed_mutex>& order_;
};

void rollback_quietly(Connection& c) {
    try {
        if (c.ok() && c.in_transaction()) c.script("ROLLBACK");
    } catch (...) {
    }
}

// Arbitrary but fixed: the advisory lock that lets one replica at a time migrate.
constexpr std::int64_t kMigrationLock = 0x73686f7064;  // "shopd"

}  // namespace

// A pooled connection, returned to the pool (or dropped when dead) on destruction.
class PostgresDatabase::Lease {
public:
    Lease(PostgresDatabase& db, std::unique_ptr<Connection> c) : db_(db), c_(std::move(c)) {}
    ~Lease() {
        if (c_) {
            rollback_quietly(*c_);
            db_.release(std::move(c_));
        }
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }

private:
    PostgresDatabase& db_;
    std::unique_ptr<Connection> c_;
};

PostgresDatabase::PostgresDatabase(std::string conninfo, const core::StorageConfig& cfg, core::Metrics& metrics,
                                   events::Bus& bus)
    : conninfo_(std::move(conninfo)),
      cfg_(cfg),
      bus_(bus),
      retries_(metrics.counter("shopd_db_busy_retries_total",
                               "Times a transaction met another writer (locked, serialization failure, deadlock) "
                               "and was retried")),
      commits_(metrics.counter("shopd_db_commits_total", "Write transactions committed (each may hold many writes)")) {
    // Fail early (and readably) when the server cannot be reached at start-up.
    release(acquire(core::now_ms() + cfg_.write_timeout_ms));
    log::debug("database: PostgreSQL {}", redact(conninfo_));
}

PostgresDatabase::~PostgresDatabase() { close(); }

void PostgresDatabase::close() {
    std::vector<std::unique_ptr<Connection>> drop;
    {
        std::lock_guard lock(mu_);
        closed_ = true;
        drop.swap(idle_);
        open_ -= static_cast<int>(drop.size());
    }
    cv_.notify_all();
}

std::unique_ptr<Connection> PostgresDatabase::acquire(std::int64_t deadline_ms) {
    std::unique_lock lock(mu_);
    for (;;) {
        if (closed_) throw UnavailableError("database is closing");
        if (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            return c;
        }
        if (open_ < cfg_.pool_size) {
            ++open_;
            lock.unlock();
            try {
                return std::make_unique<Connection>(conninfo_);
            } catch (...) {
                {
                    std::lock_guard relock(mu_);
                    --open_;
                }
                cv_.notify_one();
                throw;
            }
        }
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms - core::now_ms());
        if (cv_.wait_until(lock, until) == std::cv_status::timeout && idle_.empty() && open_ >= cfg_.pool_size)
            throw UnavailableError(fmt::format("all {} database connections stayed busy", cfg_.pool_size));
    }
}

void PostgresDatabase::release(std::unique_ptr<Connection> c) {
    {
        std::lock_guard lock(mu_);
        if (c && c->ok() && !c->in_transaction() && !closed_) {
            idle_.push_back(std::move(c));
        } else {
            --open_;
        }
    }
    cv_.notify_one();
    // c (if not pooled) closes here, outside the lock.
}

void PostgresDatabase::with_connection(std::int64_t deadline_ms, const std::function<void(Connection&)>& body) {
    // Idle connections may all have lost a restarted server: try each once, then a new one.
    for (int attempt = 0;; ++attempt) {
        Lease lease(*this, acquire(deadline_ms));
        try {
            body(*lease);
            return;
        } catch (const UnavailableError&) {
            if (lease->ok() || attempt > cfg_.pool_size) throw;
        }
    }
}

bool PostgresDatabase::healthy() {
    try {
        return read([](Conn& c) { return c.query("SELECT 1").size() == 1; });
    } catch (const std::exception&) {
        return false;
    }
}

void PostgresDatabase::run_read(const std::function<void(Conn&)>& fn) {
    const std::int64_t deadline = core::now_ms() + cfg_.write_timeout_ms;
    bool begun = false;
    with_connection(deadline, [&](Connection& c) {
        // Only the BEGIN is repeated on a fresh connection; fn runs once.
        if (begun) throw UnavailableError("database connection lost");
        c.script("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        begun = true;
        PgConn conn(c);
        try {
            fn(conn);
        } catch (...) {
            rollback_quietly(c);
            throw;
        }
        c.script("COMMIT");
    });
}

void PostgresDatabase::run_write(const std::function<void(Tx&)>& fn) {
    const std::int64_t deadline = core::now_ms() + cfg_.write_timeout_ms;
    static thread_local std::minstd_rand rng{std::random_device{}()};
    bool unique_retried = false;
    for (int attempt = 0;; ++attempt) {
        std::vector<events::Event> events;
        std::unique_lock<std::timed_mutex> order(emit_mu_, std::defer_lock);
        bool begun = false;
        try {
            with_connection(deadline, [&](Connection& c) {
                if (begun) throw UnavailableError("database connection lost");
                c.script("BEGIN ISOLATION LEVEL SERIALIZABLE");
                begun = true;
                PgTx tx(c, bus_, events, order);
                try {
                    fn(tx);
                } catch (...) {
                    rollback_quietly(c);
                    throw;
                }
                if (events.empty()) {
                    c.script("COMMIT");
                    commits_.inc();
                    return;
                }
                // Still holding `order`: subscribers hear of commits in seq order.
                c.script("COMMIT");
                commits_.inc();
                bus_.deliver(events);
                events.clear();
            });
            return;
        } catch (const RetryError&) {
            // Serialization failure or deadlock: another transaction won; run fn again.
        } catch (const UniqueViolation&) {
            // Possibly a lost race that a fresh snapshot resolves; a second one is real.
            if (unique_retried) throw;
            unique_retried = true;
        }
        if (order.owns_lock()) order.unlock();
        retries_.inc();
        if (core::now_ms() > deadline)
            throw UnavailableError("database: write kept conflicting with other writers past the write timeout");
        const int cap = std::min(100, 1 << std::min(attempt, 7));
        std::this_thread::sleep_for(std::chrono::milliseconds(1 + static_cast<int>(rng() % static_cast<unsigned>(cap))));
    }
}

void PostgresDatabase::migrate(const std::vector<Migration>& migrations) {
    // Its own connection: replicas starting together queue on an advisory lock, and DDL
    // does not meet the pool's prepared statements.
    Connection c(conninfo_);
    c.script(fmt::format("SELECT pg_advisory_lock({})", kMigrationLock));
    try {
        c.script(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " module TEXT NOT NULL, version INTEGER NOT NULL, applied_at BIGINT NOT NULL,"
            " PRIMARY KEY (module, version))");
        for (const auto& m : migrations) {
            c.script("BEGIN");
            try {
                if (!c.query("SELECT 1 FROM schema_migrations WHERE module = ? AND version = ?",
                             std::vector<Value>{m.module, std::int64_t{m.version}})
                         .empty()) {
                    c.script("ROLLBACK");
                    continue;
                }
                c.script(m.postgres_sql.empty() ? m.sqlite_sql : m.postgres_sql);
                c.exec("INSERT INTO schema_migrations(module, version, applied_at) VALUES (?, ?, ?)",
                       std::vector<Value>{m.module, std::int64_t{m.version}, core::now_ms()});
                c.script("COMMIT");
            } catch (...) {
                rollback_quietly(c);
                throw;
            }
            log::info("migrated {} to version {}", m.module, m.version);
        }
    } catch (...) {
        try {
            c.script(fmt::format("SELECT pg_advisory_unlock({})", kMigrationLock));
        } catch (...) {
        }
        throw;
    }
    c.script(fmt::format("SELECT pg_advisory_unlock({})", kMigrationLock));
}

void PostgresDatabase::backup(const std::string&) {
    throw DbError("shopd backup copies SQLite files; for PostgreSQL use pg_dump");
}

}  // namespace shop::db::postgres
