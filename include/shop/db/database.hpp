#pragma once
// The project's own database seam. Modules write SQL in their repository files and run it
// through Conn; they never see sqlite3_* or libpq. Parameters are always bound, never
// spliced into SQL. Placeholders are `?` on every backend.
//
// Threading: read() runs the function on the calling thread with a pooled read-only
// connection inside one snapshot. write() hands the function to the single writer, which
// may batch several callers' functions into one transaction (group commit: one fsync for
// many); each function runs inside its own savepoint, so one caller's failure does not
// undo another's. A write function may be run more than once (on SQLITE_BUSY from another
// process, or a serialization failure on a server database): it must do nothing but
// database work and must not keep state from an earlier attempt.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json_fwd.hpp>

#include "shop/db/value.hpp"
#include "shop/events/registry.hpp"

namespace shop::db {

enum class Dialect { Sqlite, Postgres };

// "?, ?, ?": n placeholders for an IN (...) list or a VALUES row. The values are still
// bound; only their count shapes the statement (so a few shapes get prepared).
inline std::string placeholders(std::size_t n) {
    std::string out;
    out.reserve(n * 3);
    for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
    return out;
}

class Conn {
public:
    virtual ~Conn() = default;
    virtual Dialect dialect() const = 0;
    virtual Rows query_values(std::string_view sql, std::span<const Value> params) = 0;
    // Returns the number of rows changed.
    virtual std::int64_t exec_values(std::string_view sql, std::span<const Value> params) = 0;

    template <class... A>
    Rows query(std::string_view sql, const A&... args) {
        const Value v[] = {Value{nullptr}, to_value(args)...};
        return query_values(sql, std::span<const Value>(v + 1, sizeof...(A)));
    }
    template <class... A>
    std::optional<Row> query_one(std::string_view sql, const A&... args) {
        Rows r = query(sql, args...);
        if (r.empty()) return std::nullopt;
        return std::move(r.front());
    }
    template <class... A>
    std::int64_t exec(std::string_view sql, const A&... args) {
        const Value v[] = {Value{nullptr}, to_value(args)...};
        return exec_values(sql, std::span<const Value>(v + 1, sizeof...(A)));
    }
};

// A write transaction. emit() records a domain event in the same transaction as the
// change it describes; subscribers hear of it only after commit.
class Tx : public Conn {
public:
    virtual void emit(std::string type, nlohmann::json data) = 0;
    // A domain event as its struct (include/shop/events/): the struct names the type and
    // gives the data its one JSON form.
    template <events::DomainEvent E>
    void emit(const E& event) {
        emit_built(E::kType, [&event](nlohmann::json& data) { to_json(data, event); });
    }

private:
    // Builds the data where nlohmann::json is complete (src/db/tx.cpp), so this header
    // needs only its forward declarations.
    void emit_built(std::string_view type, const std::function<void(nlohmann::json&)>& build);
};

class Database {
public:
    virtual ~Database() = default;
    virtual Dialect dialect() const = 0;

    template <class F>
    auto read(F&& f) -> std::invoke_result_t<F&, Conn&> {
        using R = std::invoke_result_t<F&, Conn&>;
        if constexpr (std::is_void_v<R>) {
            run_read([&](Conn& c) { f(c); });
        } else {
            std::optional<R> out;
            run_read([&](Conn& c) { out.emplace(f(c)); });
            return std::move(*out);
        }
    }

    template <class F>
    auto write(F&& f) -> std::invoke_result_t<F&, Tx&> {
        using R = std::invoke_result_t<F&, Tx&>;
        if constexpr (std::is_void_v<R>) {
            run_write([&](Tx& t) { f(t); });
        } else {
            std::optional<R> out;
            run_write([&](Tx& t) { out.reset(); out.emplace(f(t)); });
            return std::move(*out);
        }
    }

    // True when the database answers a trivial query; used by /readyz.
    virtual bool healthy() = 0;

protected:
    virtual void run_read(const std::function<void(Conn&)>& fn) = 0;
    // Blocks the caller until the transaction holding fn has committed, or rethrows what
    // fn threw (after rolling back fn's own changes).
    virtual void run_write(const std::function<void(Tx&)>& fn) = 0;
};

}  // namespace shop::db
