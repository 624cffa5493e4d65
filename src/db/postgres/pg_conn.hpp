#pragma once
// One libpq connection with its prepared statements cached by SQL text. Module SQL uses
// `?` placeholders; they are rewritten to $1..$n once per statement text.
#include <libpq-fe.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "shop/db/database.hpp"
#include "shop/db/errors.hpp"

namespace shop::db::postgres {

// 40001 serialization_failure / 40P01 deadlock_detected: the transaction is run again.
class RetryError : public DbError {
public:
    using DbError::DbError;
};

// 23505 unique_violation: under concurrency possibly a lost race; retried once, then a
// ConstraintError for the caller.
class UniqueViolation : public ConstraintError {
public:
    using ConstraintError::ConstraintError;
};

// `?` -> `$n`, skipping quoted literals, quoted identifiers and comments.
std::string rewrite_placeholders(std::string_view sql);
// The URL (or key=value string) with any password replaced by "***", for log lines.
std::string redact(std::string_view conninfo);

class Connection {
public:
    explicit Connection(const std::string& conninfo);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Rows query(std::string_view sql, std::span<const Value> params);
    std::int64_t exec(std::string_view sql, std::span<const Value> params);
    // Several statements, no parameters (migrations, BEGIN/COMMIT).
    void script(const std::string& sql);
    // False once the server went away: the pool drops the connection.
    bool ok() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }
    bool in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
    PGconn* handle() { return conn_; }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    PGresult* run(std::string_view sql, std::span<const Value> params);
    [[noreturn]] void fail(PGresult* res, std::string_view sql);

    PGconn* conn_ = nullptr;
    bool broken_ = false;
    std::unordered_map<std::string, std::string, Hash, std::equal_to<>> prepared_;  // sql -> name
};

// Conn over a pooled connection.
class PgConn final : public Conn {
public:
    explicit PgConn(Connection& c) : c_(c) {}
    Dialect dialect() const override { return Dialect::Postgres; }
    Rows query_values(std::string_view sql, std::span<const Value> params) override { return c_.query(sql, params); }
    std::int64_t exec_values(std::string_view sql, std::span<const Value> params) override {
        return c_.exec(sql, params);
    }

private:
    Connection& c_;
};

}  // namespace shop::db::postgres
