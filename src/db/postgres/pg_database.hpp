#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "db/backend.hpp"
#include "db/postgres/pg_conn.hpp"

namespace shop::db::postgres {

// PostgreSQL through libpq: a pool of connections used on the caller's (worker) thread.
// Each write() is one SERIALIZABLE transaction, run again on a serialization failure or a
// deadlock; each read() is one READ ONLY REPEATABLE READ snapshot. Connections that lose
// the server are dropped and replaced on the next use, so shopd recovers by itself.
class PostgresDatabase final : public Backend {
public:
    PostgresDatabase(std::string conninfo, const core::StorageConfig& cfg, core::Metrics& metrics, events::Bus& bus);
    ~PostgresDatabase() override;

    Dialect dialect() const override { return Dialect::Postgres; }
    bool healthy() override;
    void migrate(const std::vector<Migration>& migrations) override;
    void backup(const std::string& out_path) override;
    void close() override;

protected:
    void run_read(const std::function<void(Conn&)>& fn) override;
    void run_write(const std::function<void(Tx&)>& fn) override;

private:
    class Lease;
    std::unique_ptr<Connection> acquire(std::int64_t deadline_ms);
    void release(std::unique_ptr<Connection> c);
    // Runs body on a pooled connection; when the connection turns out dead before body
    // did anything (a server restart), it is replaced and body runs again.
    void with_connection(std::int64_t deadline_ms, const std::function<void(Connection&)>& body);

    std::string conninfo_;
    core::StorageConfig cfg_;
    events::Bus& bus_;
    core::Counter& retries_;
    core::Counter& commits_;

    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Connection>> idle_;
    int open_ = 0;
    bool closed_ = false;
    // Held from a transaction's first emit() until its events are delivered after COMMIT:
    // within this process, event seqs are committed and delivered in order. Taken with a
    // timeout (a holder may wait on a row lock of ours): on timeout the transaction is
    // rolled back and run again.
    std::timed_mutex emit_mu_;
};

}  // namespace shop::db::postgres
