#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace shop::bench {

// Thin handles on SQLite's C API: this tool measures raw SQLite, so it does not go through
// shopd's database layer. Errors throw std::runtime_error with SQLite's message.
class Db {
public:
    // Opens (creating) `path` as shopd's sqlite::Connection does: read-write, no mutex,
    // extended result codes, busy_timeout 5000 ms, foreign_keys=ON.
    explicit Db(const std::string& path);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    sqlite3* get() const { return db_; }
    // Runs one or more statements whose results are not wanted (DDL, PRAGMA).
    void exec(const std::string& sql);
    [[noreturn]] void fail(std::string_view what) const;

private:
    sqlite3* db_ = nullptr;
};

// One statement, prepared once (SQLITE_PREPARE_PERSISTENT, as shopd's statement cache does)
// and reset after each use.
class Stmt {
public:
    Stmt(Db& db, std::string_view sql);
    ~Stmt();
    Stmt(Stmt&& other) noexcept : db_(other.db_), st_(other.st_) { other.st_ = nullptr; }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt& operator=(Stmt&&) = delete;

    Stmt& bind(int index, std::string_view text);
    Stmt& bind(int index, std::int64_t value);
    Stmt& bind_null(int index);
    // True when a row is ready, false when the statement is done.
    bool step();
    // Reset and clear bindings, as shopd's ResetGuard does after every statement.
    void reset();
    // Steps to the end, resets, and returns the rows the statement changed.
    std::int64_t run();

    std::int64_t i64(int col) const { return sqlite3_column_int64(st_, col); }
    std::string_view text(int col) const;
    // Reads every column of the current row by its type, as shopd's Connection::query does
    // when it turns a row into values, so SQLite decodes the same record fields.
    void touch_row() const;

private:
    Db* db_;
    sqlite3_stmt* st_ = nullptr;
};

// Binds parameters 1, 2, 3... in the order given: binds(st)(id)(qty)(now).
class Binds {
public:
    explicit Binds(Stmt& st) : st_(st) {}
    Binds& operator()(std::string_view text) {
        st_.bind(next_++, text);
        return *this;
    }
    Binds& operator()(std::int64_t value) {
        st_.bind(next_++, value);
        return *this;
    }
    Binds& operator()(std::nullptr_t) {
        st_.bind_null(next_++);
        return *this;
    }

private:
    Stmt& st_;
    int next_ = 1;
};

}  // namespace shop::bench
