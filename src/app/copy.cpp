#include "app/copy.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "shop/core/log.hpp"
#include "shop/db/errors.hpp"

namespace shop::app {

namespace {

bool is_url(const std::string& db) { return db.starts_with("postgres://") || db.starts_with("postgresql://"); }

// Core's own tables (src/db/open_backend.cpp); the modules declare theirs (Module::tables).
const std::vector<std::string> kCoreTables = {"events", "data_watermarks", "idempotency_keys", "settings", "outbox_jobs"};

// What the composed shop says about its tables: copied, or derived and rebuilt.
struct Plan {
    std::set<std::string> copied;
    std::vector<std::string> derived_prefixes;
    std::vector<std::string> projections;

    explicit Plan(const App& app) : copied(kCoreTables.begin(), kCoreTables.end()) {
        for (const auto& m : app.modules()) {
            Tables t = m->tables();
            copied.insert(t.copied.begin(), t.copied.end());
            derived_prefixes.insert(derived_prefixes.end(), t.derived_prefixes.begin(), t.derived_prefixes.end());
            projections.insert(projections.end(), t.projections.begin(), t.projections.end());
        }
    }
    bool derived(const std::string& table) const {
        return std::any_of(derived_prefixes.begin(), derived_prefixes.end(),
                           [&](const std::string& p) { return table.starts_with(p); });
    }
    // Bookkeeping of the engines, never copied.
    static bool internal(const std::string& table) {
        return table == "schema_migrations" || table.starts_with("sqlite_");
    }
};

// The tables to copy; a table no one declares stops the copy (its rows would be lost).
std::vector<std::string> tables_of(db::Conn& c, const Plan& plan) {
    std::vector<std::string> out;
    db::Rows rows = c.dialect() == db::Dialect::Postgres
                        ? c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                                  " AND table_type = 'BASE TABLE' ORDER BY table_name")
                        : c.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    for (const auto& r : rows) {
        const std::string t = r.str(0);
        if (Plan::internal(t) || plan.derived(t)) continue;
        if (!plan.copied.count(t))
            throw CompositionError("table " + t + " is declared by no module (Module::tables); nothing was copied");
        out.push_back(t);
    }
    return out;
}

std::vector<std::string> columns_of(db::Conn& c, const std::string& table) {
    std::vector<std::string> out;
    if (c.dialect() == db::Dialect::Postgres) {
        for (const auto& r : c.query("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                     "current_schema() AND table_name = ? ORDER BY ordinal_position",
                                     table))
            out.push_back(r.str(0));
    } else {
        for (const auto& r : c.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", table))
            out.push_back(r.str(0));
    }
    return out;
}

// table -> the tables its foreign keys point at (on the target).
std::map<std::string, std::set<std::string>> references_of(db::Conn& c, const std::vector<std::string>& tables) {
    std::map<std::string, std::set<std::string>> out;
    for (const auto& t : tables) {
        db::Rows rows = c.dialect() == db::Dialect::Postgres
                            ? c.query("SELECT DISTINCT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"
                                      " AND conrelid = CAST(? AS regclass)",
                                      t)
                            : c.query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", t);
        for (const auto& r : rows) {
            std::string ref = r.str(0);
            if (auto dot = ref.rfind('.'); dot != std::string::npos) ref = ref.substr(dot + 1);
            if (ref != t) out[t].insert(ref);
        }
    }
    return out;
}

// Referenced tables first, so every foreign key holds as rows arrive.
std::vector<std::string> insert_order(const std::vector<std::string>& tables,
                                      const std::map<std::string, std::set<std::string>>& refs) {
    std::vector<std::string> out;
    std::set<std::string> done;
    std::function<void(const std::string&, int)> visit = [&](const std::string& t, int depth) {
        if (done.count(t) || depth > 64) return;
        if (auto it = refs.find(t); it != refs.end())
            for (const auto& r : it->second)
                if (std::find(tables.begin(), tables.end(), r) != tables.end()) visit(r, depth + 1);
        if (done.insert(t).second) out.push_back(t);
    };
    for (const auto& t : tables) visit(t, 0);
    return out;
}

std::string quote_ident(const std::string& name) { return "\"" + name + "\""; }

}  // namespace

int copy_shop(const core::Config& base, const std::string& from, const std::string& to, Compose compose) {
    if (from == to) {
        std::fprintf(stderr, "shopd copy: --from and --to name the same database\n");
        return 2;
    }
    if (!is_url(from) && !std::filesystem::exists(from)) {
        std::fprintf(stderr, "shopd copy: %s does not exist\n", from.c_str());
        return 2;
    }
    core::Config src_cfg = base, dst_cfg = base;
    src_cfg.db = from;
    dst_cfg.db = to;
    App src(src_cfg);
    compose(src);
    src.migrate();
    App dst(dst_cfg);
    compose(dst);
    dst.migrate();
    db::Database& in = src.runtime().db;
    db::Database& out = dst.runtime().db;
    const bool tty = ::isatty(STDERR_FILENO) != 0;

    struct Table {
        std::string name;
        std::vector<std::string> columns;
    };
    std::vector<Table> tables;
    std::string non_empty;
    const Plan plan(dst);
    std::vector<std::string> source_tables;
    try {
        out.read([&](db::Conn& c) {
            auto names = tables_of(c, plan);
            for (const auto& t : insert_order(names, references_of(c, names))) {
                tables.push_back({t, columns_of(c, t)});
                if (non_empty.empty() && c.query("SELECT 1 FROM " + quote_ident(t) + " LIMIT 1").size() == 1)
                    non_empty = t;
            }
        });
        in.read([&](db::Conn& c) { source_tables = tables_of(c, plan); });
    } catch (const CompositionError& e) {
        std::fprintf(stderr, "shopd copy: %s\n", e.what());
        return 2;
    }
    if (!non_empty.empty()) {
        std::fprintf(stderr, "shopd copy: the target already holds a shop (table %s has rows); copy needs an empty one\n",
                     non_empty.c_str());
        return 2;
    }

    std::int64_t total = 0;
    // One transaction on the target: a copy interrupted anywhere leaves it empty.
    out.write([&](db::Tx& tx) {
        total = 0;
        in.read([&](db::Conn& c) {  // one snapshot of the source
            for (const auto& t : tables) {
                if (std::find(source_tables.begin(), source_tables.end(), t.name) == source_tables.end()) continue;
                std::vector<std::string> cols;
                auto src_cols = columns_of(c, t.name);
                for (const auto& col : t.columns)
                    if (std::find(src_cols.begin(), src_cols.end(), col) != src_cols.end()) cols.push_back(col);
                if (cols.empty()) continue;
                std::string list;
                for (std::size_t i = 0; i < cols.size(); ++i) list += (i ? ", " : "") + quote_ident(cols[i]);
                const std::string marks = db::placeholders(cols.size());
                db::Rows rows = c.query("SELECT " + list + " FROM " + quote_ident(t.name));
                std::string insert = "INSERT INTO " + quote_ident(t.name) + " (" + list + ")" +
                                     (tx.dialect() == db::Dialect::Postgres ? " OVERRIDING SYSTEM VALUE" : "") +
                                     " VALUES (" + marks + ")";
                std::size_t done = 0;
                std::vector<db::Value> values(cols.size());
                for (const auto& r : rows) {
                    for (std::size_t i = 0; i < cols.size(); ++i) values[i] = r.at(i);
                    tx.exec_values(insert, values);
                    if (tty && (++done % 1000 == 0 || done == rows.size()))
                        std::fprintf(stderr, "\r  %-28s %zu/%zu rows", t.name.c_str(), done, rows.size());
                }
                if (tty && !rows.empty()) std::fprintf(stderr, "\n");
                // Identity columns continue after the copied values.
                if (tx.dialect() == db::Dialect::Postgres) {
                    for (const auto& r : tx.query("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                                  "current_schema() AND table_name = ? AND is_identity = 'YES'",
                                                  t.name)) {
                        tx.query("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(" +
                                     quote_ident(r.str(0)) + ") FROM " + quote_ident(t.name) + "), 0) + 1, false)",
                                 t.name, r.str(0));
                    }
                }
                const std::int64_t copied_rows =
                    tx.query("SELECT COUNT(*) FROM " + quote_ident(t.name)).front().i64(0);
                if (copied_rows != static_cast<std::int64_t>(rows.size()))
                    throw db::DbError("table " + t.name + ": copied " + std::to_string(copied_rows) + " rows of " +
                                      std::to_string(rows.size()));
                total += copied_rows;
            }
        });
        // Derived tables are rebuilt from the event log when shopd starts on the target.
        for (const auto& consumer : plan.projections)
            tx.exec("DELETE FROM data_watermarks WHERE consumer = ?", consumer);
    });
    std::printf("copied %lld rows in %zu tables; row counts verified\n", static_cast<long long>(total), tables.size());
    return 0;
}

}  // namespace shop::app
