#include "db/sqlite/sqlite_conn.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include "shop/db/errors.hpp"

namespace shop::db::sqlite {

Connection::Connection(const std::string& path, bool read_only, int busy_timeout_ms) {
    // The shop's accounts and orders are readable by their owner only: create the file
    // 0600 before SQLite does (its -wal and -shm files take the same mode). An existing
    // file keeps the mode its owner gave it.
    if (path != ":memory:" && !path.starts_with("file:")) {
        int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw UnavailableError(fmt::format("cannot open database {}: {}", path, msg));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    script("PRAGMA foreign_keys=ON");
    // Readers may not write by accident; the single writer connection owns every write.
    if (read_only) {
        script("PRAGMA query_only=1");
        // 1 MB of page cache a reader rather than SQLite's 2 MB: there are up to
        // storage.readers + 1 of them, reads of a large catalogue are random anyway (the OS
        // page cache serves them), and what a cache keeps counts in the process's RSS.
        script("PRAGMA cache_size=-1024");
    }
}

Connection::~Connection() {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
    sqlite3_close_v2(db_);
}

void Connection::fail(int rc, std::string_view sql) {
    std::string msg = fmt::format("{} [{}]", sqlite3_errmsg(db_), sql.substr(0, 120));
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw BusyError(msg);
    if (primary == SQLITE_CONSTRAINT) throw ConstraintError(msg);
    if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_FULL)
        throw UnavailableError(msg);
    throw DbError(msg);
}

sqlite3_stmt* Connection::prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st,
                                nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    cache_.emplace(std::string(sql), st);
    return st;
}

void Connection::bind(sqlite3_stmt* st, std::span<const Value> params) {
    int expected = sqlite3_bind_parameter_count(st);
    if (expected != static_cast<int>(params.size()))
        throw DbError(fmt::format("statement wants {} parameters, got {}: {}", expected, params.size(),
                                  sqlite3_sql(st)));
    for (std::size_t i = 0; i < params.size(); ++i) {
        int idx = static_cast<int>(i) + 1;
        const Value& v = params[i];
        int rc = SQLITE_OK;
        if (std::holds_alternative<std::nullptr_t>(v)) rc = sqlite3_bind_null(st, idx);
        else if (auto p = std::get_if<std::int64_t>(&v)) rc = sqlite3_bind_int64(st, idx, *p);
        else if (auto d = std::get_if<double>(&v)) rc = sqlite3_bind_double(st, idx, *d);
        else if (auto b = std::get_if<Blob>(&v)) rc = sqlite3_bind_blob64(st, idx, b->bytes.data(), b->bytes.size(), SQLITE_STATIC);
        else {
            const auto& s = std::get<std::string>(v);
            // The caller's values outlive the statement's use of them: no copy needed.
            rc = sqlite3_bind_text64(st, idx, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
        }
        if (rc != SQLITE_OK) fail(rc, sqlite3_sql(st));
    }
}

namespace {
struct ResetGuard {
    sqlite3_stmt* st;
    ~ResetGuard() {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
};
}  // namespace

Rows Connection::query(std::string_view sql, std::span<const Value> params) {
    sqlite3_stmt* st = prepare(sql);
    ResetGuard guard{st};
    bind(st, params);
    Rows rows;
    int ncol = sqlite3_column_count(st);
    for (;;) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) fail(rc, sql);
        std::vector<Value> cols;
        cols.reserve(static_cast<std::size_t>(ncol));
        for (int i = 0; i < ncol; ++i) {
            switch (sqlite3_column_type(st, i)) {
                case SQLITE_INTEGER: cols.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(st, i))); break;
                case SQLITE_FLOAT: cols.emplace_back(sqlite3_column_double(st, i)); break;
                case SQLITE_NULL: cols.emplace_back(nullptr); break;
                case SQLITE_BLOB: {
                    auto* p = static_cast<const char*>(sqlite3_column_blob(st, i));
                    cols.emplace_back(Blob{std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, i)))});
                    break;
                }
                default: {
                    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
                    cols.emplace_back(std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(st, i))));
                }
            }
        }
        rows.emplace_back(std::move(cols));
    }
    return rows;
}

std::int64_t Connection::exec(std::string_view sql, std::span<const Value> params) {
    sqlite3_stmt* st = prepare(sql);
    ResetGuard guard{st};
    bind(st, params);
    for (;;) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) fail(rc, sql);
    }
    return sqlite3_changes64(db_);
}

void Connection::script(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        int primary = rc & 0xff;
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw BusyError(msg);
        if (primary == SQLITE_CONSTRAINT) throw ConstraintError(msg);
        throw DbError(fmt::format("{} [{}]", msg, sql.substr(0, 120)));
    }
}

}  // namespace shop::db::sqlite
