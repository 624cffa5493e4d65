#pragma once
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "shop/db/database.hpp"

namespace shop::db::sqlite {

// Thrown when SQLite answers SQLITE_BUSY/LOCKED: the writer retries the whole batch.
class BusyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One sqlite3 connection with its prepared statements cached by SQL text.
class Connection {
public:
    Connection(const std::string& path, bool read_only, int busy_timeout_ms);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Rows query(std::string_view sql, std::span<const Value> params);
    std::int64_t exec(std::string_view sql, std::span<const Value> params);
    // Several statements, no parameters (migrations, BEGIN/COMMIT).
    void script(const std::string& sql);
    sqlite3* handle() { return db_; }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    sqlite3_stmt* prepare(std::string_view sql);
    void bind(sqlite3_stmt* st, std::span<const Value> params);
    [[noreturn]] void fail(int rc, std::string_view sql);

    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;
};

// Conn over a pooled connection (reads).
class ReadConn final : public Conn {
public:
    explicit ReadConn(Connection& c) : c_(c) {}
    Dialect dialect() const override { return Dialect::Sqlite; }
    Rows query_values(std::string_view sql, std::span<const Value> params) override { return c_.query(sql, params); }
    std::int64_t exec_values(std::string_view sql, std::span<const Value> params) override {
        return c_.exec(sql, params);
    }

private:
    Connection& c_;
};

}  // namespace shop::db::sqlite
