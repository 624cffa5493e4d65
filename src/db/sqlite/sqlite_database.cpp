#include "db/sqlite/sqlite_database.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <semaphore>

#include "shop/core/log.hpp"
#include "shop/core/time.hpp"
#include "shop/db/errors.hpp"

namespace shop::db::sqlite {

struct WriteJob {
    const std::function<void(Tx&)>* fn;
    std::exception_ptr error;
    std::vector<events::Event> events;
    std::binary_semaphore done{0};
};

namespace {

// The transaction handed to one write function: its events are kept apart from those of
// the other functions in the same batch, so a rolled-back function's events vanish with it.
class SqliteTx final : public Tx {
public:
    SqliteTx(Connection& c, const events::Bus& bus, std::vector<events::Event>& events)
        : c_(c), bus_(bus), events_(events) {}
    Dialect dialect() const override { return Dialect::Sqlite; }
    Rows query_values(std::string_view sql, std::span<const Value> params) override { return c_.query(sql, params); }
    std::int64_t exec_values(std::string_view sql, std::span<const Value> params) override {
        return c_.exec(sql, params);
    }
    void emit(std::string type, nlohmann::json data) override {
        events_.push_back(bus_.record(*this, std::move(type), std::move(data)));
    }

private:
    Connection& c_;
    const events::Bus& bus_;
    std::vector<events::Event>& events_;
};

void with_busy_retry(const std::function<void()>& fn, core::Counter& retries, int timeout_ms) {
    std::int64_t deadline = core::now_ms() + timeout_ms;
    for (;;) {
        try {
            fn();
            return;
        } catch (const BusyError&) {
            retries.inc();
            if (core::now_ms() > deadline) throw UnavailableError("database stayed locked by another process");
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
}

}  // namespace

SqliteDatabase::SqliteDatabase(std::string path, const core::StorageConfig& cfg, core::Metrics& metrics,
                               events::Bus& bus)
    : path_(std::move(path)),
      cfg_(cfg),
      bus_(bus),
      busy_retries_(metrics.counter("shopd_db_busy_retries_total",
                                    "Times the database was locked by another process and the work was retried")),
      commits_(metrics.counter("shopd_db_commits_total", "Write transactions committed (each may hold many writes)")),
      committed_writes_(metrics.counter("shopd_db_writes_total", "Write functions committed")),
      checkpoints_(metrics.counter("shopd_db_checkpoints_total", "WAL checkpoints run by the checkpoint thread")) {
    if (path_ != ":memory:") {
        auto parent = std::filesystem::path(path_).parent_path();
        std::error_code ec;
        if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    }
    writer_ = std::make_unique<Connection>(path_, false, cfg_.busy_timeout_ms);
    // Several processes may open the file at once; switching to WAL can meet their locks.
    with_busy_retry([&] { writer_->script("PRAGMA journal_mode=WAL"); }, busy_retries_, cfg_.write_timeout_ms);
    writer_->script("PRAGMA synchronous=FULL");
    if (path_ != ":memory:") {
        // Replaces SQLite's auto-checkpoint (the same hook), which would copy the WAL back
        // into the database inside a commit, on the writer thread.
        checkpointer_ = std::make_unique<Connection>(path_, false, cfg_.busy_timeout_ms);
        checkpointer_->script("PRAGMA cache_size=16");  // it copies WAL frames, caching nothing
        sqlite3_wal_hook(writer_->handle(), &SqliteDatabase::on_wal_commit, this);
        checkpoint_thread_ = std::thread([this] { checkpoint_loop(); });
    }
    writer_thread_ = std::thread([this] { writer_loop(); });
}

int SqliteDatabase::on_wal_commit(void* self, sqlite3* handle, const char* name, int pages) {
    // The checkpoint thread copies the WAL back from 256 pages (1 MB) on, while the writer
    // goes on. It can never catch up alone under constant writes (new frames arrive while
    // it copies, and the WAL only starts over once every frame is back), so at 1000 pages
    // (SQLite's own auto-checkpoint threshold) the writer finishes the job here, between
    // two commits: by then most frames are copied and what is left is quick.
    constexpr int kBackgroundPages = 256;
    constexpr int kInlinePages = 1000;
    auto* db = static_cast<SqliteDatabase*>(self);
    if (pages >= kInlinePages) {
        sqlite3_wal_checkpoint_v2(handle, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        return SQLITE_OK;
    }
    if (pages < kBackgroundPages) return SQLITE_OK;
    {
        std::lock_guard lock(db->checkpoint_mu_);
        db->checkpoint_due_ = true;
    }
    db->checkpoint_cv_.notify_one();
    return SQLITE_OK;
}

void SqliteDatabase::checkpoint_loop() {
    for (;;) {
        {
            std::unique_lock lock(checkpoint_mu_);
            checkpoint_cv_.wait(lock, [&] { return checkpoint_due_ || checkpoint_stop_; });
            if (checkpoint_stop_) return;
            checkpoint_due_ = false;
        }
        try {
            // PASSIVE: copies what no reader still needs and never waits for a lock, so
            // neither readers nor the writer (of this process or another) are held up.
            checkpointer_->script("PRAGMA wal_checkpoint(PASSIVE)");
            checkpoints_.inc();
        } catch (const std::exception& e) {
            log::warn("WAL checkpoint failed: {}; the next one retries", e.what());
        }
    }
}

SqliteDatabase::~SqliteDatabase() { close(); }

void SqliteDatabase::close() {
    {
        std::lock_guard lock(write_mu_);
        if (stopping_) return;
        stopping_ = true;
    }
    write_cv_.notify_all();
    if (writer_thread_.joinable()) writer_thread_.join();
    {
        std::lock_guard lock(checkpoint_mu_);
        checkpoint_stop_ = true;
    }
    checkpoint_cv_.notify_all();
    if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
}

bool SqliteDatabase::healthy() {
    try {
        return read([](Conn& c) { return c.query("SELECT 1").size() == 1; });
    } catch (const std::exception&) {
        return false;
    }
}

std::unique_ptr<Connection> SqliteDatabase::acquire_reader() {
    std::unique_lock lock(read_mu_);
    for (;;) {
        if (!idle_readers_.empty()) {
            auto c = std::move(idle_readers_.back());
            idle_readers_.pop_back();
            return c;
        }
        if (open_readers_ < cfg_.readers) {
            ++open_readers_;
            lock.unlock();
            try {
                return open_reader();
            } catch (...) {
                std::lock_guard relock(read_mu_);
                --open_readers_;
                throw;
            }
        }
        read_cv_.wait(lock);
    }
}

void SqliteDatabase::release_reader(std::unique_ptr<Connection> c) {
    {
        std::lock_guard lock(read_mu_);
        idle_readers_.push_back(std::move(c));
    }
    read_cv_.notify_one();
}

std::unique_ptr<Connection> SqliteDatabase::open_reader() {
    auto c = std::make_unique<Connection>(path_, true, cfg_.busy_timeout_ms);
    // storage.mmap_mib: pages through a memory map rather than pread, so a read costs no
    // system call and no copy for pages the OS already caches (pread was an eighth of a
    // GET /products/{id}). Off by default: the mapped pages, though they are the OS page
    // cache and shared, count in the process's RSS.
    if (cfg_.mmap_mib > 0)
        c->script("PRAGMA mmap_size=" + std::to_string(static_cast<std::int64_t>(cfg_.mmap_mib) << 20));
    return c;
}

void SqliteDatabase::pin_reader_to_this_thread() {
    loop_reader_ = open_reader();
    loop_thread_ = std::this_thread::get_id();
}

void SqliteDatabase::run_read(const std::function<void(Conn&)>& fn) {
    // The event loop's reads (handlers marked RunOn::Loop) use a connection of their own:
    // waiting for a pooled one held by a long search would stall every connection.
    if (loop_reader_ && !loop_reader_busy_ && std::this_thread::get_id() == loop_thread_) {
        loop_reader_busy_ = true;  // only this thread touches it; a nested read takes the pool
        struct Free {
            bool& busy;
            ~Free() { busy = false; }
        } free{loop_reader_busy_};
        read_on(*loop_reader_, fn);
        return;
    }
    auto conn = acquire_reader();
    struct Return {
        SqliteDatabase* self;
        std::unique_ptr<Connection>& c;
        ~Return() { self->release_reader(std::move(c)); }
    } give_back{this, conn};
    read_on(*conn, fn);
}

void SqliteDatabase::read_on(Connection& conn, const std::function<void(Conn&)>& fn) {
    // One snapshot for every statement of fn; a read transaction in WAL blocks no writer.
    // BEGIN and COMMIT go through the connection's statement cache: parsing them on every
    // read cost as much as the read itself.
    with_busy_retry([&] { conn.exec("BEGIN", {}); }, busy_retries_, cfg_.write_timeout_ms);
    ReadConn rc(conn);
    try {
        fn(rc);
    } catch (...) {
        try {
            conn.script("ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    conn.exec("COMMIT", {});
}

void SqliteDatabase::run_write(const std::function<void(Tx&)>& fn) {
    WriteJob job;
    job.fn = &fn;
    {
        std::lock_guard lock(write_mu_);
        if (stopping_) throw UnavailableError("database is closing");
        queue_.push_back(&job);
    }
    write_cv_.notify_one();
    job.done.acquire();
    if (job.error) std::rethrow_exception(job.error);
}

void SqliteDatabase::writer_loop() {
    std::vector<WriteJob*> batch;
    for (;;) {
        {
            std::unique_lock lock(write_mu_);
            write_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            while (!queue_.empty() && batch.size() < static_cast<std::size_t>(cfg_.max_batch)) {
                batch.push_back(queue_.front());
                queue_.pop_front();
            }
        }
        commit_batch(batch);
        batch.clear();
    }
}

bool SqliteDatabase::begin_immediate(std::int64_t deadline_ms) {
    for (;;) {
        try {
            writer_->exec("BEGIN IMMEDIATE", {});
            return true;
        } catch (const BusyError&) {
            busy_retries_.inc();
            if (core::now_ms() > deadline_ms) return false;
        }
    }
}

// The writer's transaction statements go through the connection's statement cache, like
// every query: sqlite3_exec would parse BEGIN, SAVEPOINT, RELEASE and COMMIT anew for each
// write, on the one thread every write waits for.
void SqliteDatabase::commit_batch(std::vector<WriteJob*>& batch) {
    std::int64_t deadline = core::now_ms() + cfg_.write_timeout_ms;
    std::exception_ptr batch_error;
    for (;;) {
        if (!begin_immediate(deadline)) {
            batch_error = std::make_exception_ptr(UnavailableError("database stayed locked by another process"));
            break;
        }
        bool retry = false;
        try {
            for (WriteJob* job : batch) {
                job->error = nullptr;
                job->events.clear();
                writer_->exec("SAVEPOINT job", {});
                SqliteTx tx(*writer_, bus_, job->events);
                try {
                    (*job->fn)(tx);
                    writer_->exec("RELEASE job", {});
                } catch (const BusyError&) {
                    throw;  // the whole batch starts again
                } catch (...) {
                    job->error = std::current_exception();
                    job->events.clear();
                    writer_->exec("ROLLBACK TO job", {});
                    writer_->exec("RELEASE job", {});
                }
            }
            writer_->exec("COMMIT", {});
        } catch (const BusyError&) {
            retry = true;
        } catch (...) {
            batch_error = std::current_exception();
        }
        if (!retry && !batch_error) break;
        if (!sqlite3_get_autocommit(writer_->handle())) {
            try {
                writer_->script("ROLLBACK");
            } catch (...) {
            }
        }
        if (batch_error) break;
        busy_retries_.inc();
        if (core::now_ms() > deadline) {
            batch_error = std::make_exception_ptr(UnavailableError("database stayed locked by another process"));
            break;
        }
    }

    std::vector<events::Event> committed;
    if (!batch_error) {
        commits_.inc();
        for (WriteJob* job : batch) {
            if (job->error) continue;
            committed_writes_.inc();
            for (auto& e : job->events) committed.push_back(e);
        }
    }
    // Subscribers hear of the batch before its writers return, so once write() returns,
    // everything derived from its events is in place for the caller's next request.
    if (!committed.empty()) bus_.deliver(committed);
    for (WriteJob* job : batch) {
        if (batch_error) job->error = batch_error;
        job->done.release();  // the job may be gone after this line
    }
}

void SqliteDatabase::migrate(const std::vector<Migration>& migrations) {
    with_busy_retry(
        [&] {
            writer_->script(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " module TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL,"
                " PRIMARY KEY (module, version))");
        },
        busy_retries_, cfg_.write_timeout_ms);
    // Every pending migration in one transaction, run on this thread before serving, inside
    // the writer's own queue so nothing else writes meanwhile; BEGIN IMMEDIATE keeps other
    // processes out until COMMIT. One commit, so one fsync: a new database's ~40 migrations
    // each committed on their own took about 100 ms of a start-up whose target is 100 ms.
    // All or none: a migration that fails leaves the schema as it was.
    std::vector<const Migration*> applied;
    write([&](Tx& tx) {
        applied.clear();
        for (const auto& m : migrations) {
            if (!tx.query("SELECT 1 FROM schema_migrations WHERE module = ? AND version = ?", m.module, m.version)
                     .empty())
                continue;
            writer_->script(m.sqlite_sql);
            tx.exec("INSERT INTO schema_migrations(module, version, applied_at) VALUES (?, ?, ?)", m.module,
                    m.version, core::now_ms());
            applied.push_back(&m);
        }
    });
    for (const Migration* m : applied) log::info("migrated {} to version {}", m->module, m->version);
}

void SqliteDatabase::backup(const std::string& out_path) {
    std::string tmp = out_path + ".partial";
    std::filesystem::remove(tmp);
    Connection src(path_, true, cfg_.busy_timeout_ms);
    Connection dst(tmp, false, cfg_.busy_timeout_ms);
    sqlite3_backup* b = sqlite3_backup_init(dst.handle(), "main", src.handle(), "main");
    if (!b) throw DbError(fmt::format("backup failed: {}", sqlite3_errmsg(dst.handle())));
    // All pages in one step: the copy is one consistent snapshot of the source.
    int rc;
    std::int64_t deadline = core::now_ms() + cfg_.write_timeout_ms;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (core::now_ms() > deadline) break;
        sqlite3_sleep(10);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) throw DbError(fmt::format("backup failed: {}", sqlite3_errstr(rc)));
    dst.script("PRAGMA journal_mode=DELETE");
    std::filesystem::rename(tmp, out_path);
}

}  // namespace shop::db::sqlite
