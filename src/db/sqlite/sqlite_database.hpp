#pragma once
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "db/backend.hpp"
#include "db/sqlite/sqlite_conn.hpp"

namespace shop::db::sqlite {

struct WriteJob;

// SQLite in WAL mode: one writer connection on its own thread, which commits queued write
// functions together (group commit), and a small pool of reader connections used on the
// caller's thread. synchronous=FULL: a commit that returned survives power loss.
class SqliteDatabase final : public Backend {
public:
    SqliteDatabase(std::string path, const core::StorageConfig& cfg, core::Metrics& metrics, events::Bus& bus);
    ~SqliteDatabase() override;

    Dialect dialect() const override { return Dialect::Sqlite; }
    bool healthy() override;
    void migrate(const std::vector<Migration>& migrations) override;
    void backup(const std::string& out_path) override;
    void close() override;
    void pin_reader_to_this_thread() override;

protected:
    void run_read(const std::function<void(Conn&)>& fn) override;
    void run_write(const std::function<void(Tx&)>& fn) override;

private:
    void read_on(Connection& conn, const std::function<void(Conn&)>& fn);
    void writer_loop();
    void commit_batch(std::vector<WriteJob*>& batch);
    bool begin_immediate(std::int64_t deadline_ms);
    std::unique_ptr<Connection> open_reader();
    std::unique_ptr<Connection> acquire_reader();
    void release_reader(std::unique_ptr<Connection> c);

    std::string path_;
    core::StorageConfig cfg_;
    events::Bus& bus_;
    core::Counter& busy_retries_;
    core::Counter& commits_;
    core::Counter& committed_writes_;

    std::unique_ptr<Connection> writer_;
    std::mutex write_mu_;
    std::condition_variable write_cv_;
    std::deque<WriteJob*> queue_;
    bool stopping_ = false;
    std::thread writer_thread_;

    // WAL checkpoints run on their own thread and connection, not inside a commit on the
    // writer thread (SQLite's auto-checkpoint), which every write waits for.
    void checkpoint_loop();
    static int on_wal_commit(void* self, sqlite3* db, const char* name, int pages);
    std::unique_ptr<Connection> checkpointer_;
    std::mutex checkpoint_mu_;
    std::condition_variable checkpoint_cv_;
    bool checkpoint_due_ = false;
    bool checkpoint_stop_ = false;
    std::thread checkpoint_thread_;
    core::Counter& checkpoints_;

    std::unique_ptr<Connection> loop_reader_;  // pin_reader_to_this_thread()
    std::thread::id loop_thread_;
    bool loop_reader_busy_ = false;  // touched by loop_thread_ only

    std::mutex read_mu_;
    std::condition_variable read_cv_;
    std::vector<std::unique_ptr<Connection>> idle_readers_;
    int open_readers_ = 0;
};

}  // namespace shop::db::sqlite
