#include "sqlite_handle.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace shop::bench {

Db::Db(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        throw std::runtime_error(fmt::format("cannot open {}: {}", path, msg));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA foreign_keys=ON");
}

Db::~Db() { sqlite3_close_v2(db_); }

void Db::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errmsg(db_);
        sqlite3_free(err);
        throw std::runtime_error(fmt::format("{} [{}]", msg, sql.substr(0, 120)));
    }
}

void Db::fail(std::string_view what) const {
    throw std::runtime_error(fmt::format("{} [{}]", sqlite3_errmsg(db_), what.substr(0, 160)));
}

Stmt::Stmt(Db& db, std::string_view sql) : db_(&db) {
    if (sqlite3_prepare_v3(db.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st_,
                           nullptr) != SQLITE_OK)
        db.fail(sql);
}

Stmt::~Stmt() { sqlite3_finalize(st_); }

Stmt& Stmt::bind(int index, std::string_view text) {
    // The caller's text outlives the statement's use of it, as in shopd's bind().
    if (sqlite3_bind_text64(st_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8) != SQLITE_OK)
        db_->fail(sqlite3_sql(st_));
    return *this;
}

Stmt& Stmt::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(st_, index, value) != SQLITE_OK) db_->fail(sqlite3_sql(st_));
    return *this;
}

Stmt& Stmt::bind_null(int index) {
    if (sqlite3_bind_null(st_, index) != SQLITE_OK) db_->fail(sqlite3_sql(st_));
    return *this;
}

bool Stmt::step() {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    std::string sql = sqlite3_sql(st_);
    reset();
    db_->fail(sql);
}

void Stmt::reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
}

std::int64_t Stmt::run() {
    while (step()) {
    }
    reset();
    return sqlite3_changes64(db_->get());
}

std::string_view Stmt::text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, col))) : std::string_view();
}

void Stmt::touch_row() const {
    int n = sqlite3_column_count(st_);
    for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(st_, i)) {
            case SQLITE_INTEGER: (void)sqlite3_column_int64(st_, i); break;
            case SQLITE_FLOAT: (void)sqlite3_column_double(st_, i); break;
            case SQLITE_NULL: break;
            case SQLITE_BLOB:
                (void)sqlite3_column_blob(st_, i);
                (void)sqlite3_column_bytes(st_, i);
                break;
            default:
                (void)sqlite3_column_text(st_, i);
                (void)sqlite3_column_bytes(st_, i);
        }
    }
}

}  // namespace shop::bench
