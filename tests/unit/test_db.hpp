#pragma once
// A real database, migrated with the core tables plus whatever the test adds: what module
// unit tests use instead of mocks. SQLite in a temp file by default; with
// SHOPD_TEST_DB=postgres, a fresh schema on the server in SHOPD_TEST_PG_URL (created here,
// dropped at the end), so the same tests run on both backends.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>

#include "db/backend.hpp"
#include "db/event_bus.hpp"
#include "db/postgres/pg_conn.hpp"
#include "temp_dir.hpp"

namespace shop::test {

inline bool on_postgres() {
    const char* v = std::getenv("SHOPD_TEST_DB");
    return v && std::string(v) == "postgres";
}

// First line of a case tagged [.postgres] or [sqlite]: one backend's own behaviour. CTest
// runs those cases only on their backend (tests/CMakeLists.txt); run by hand on the other,
// they fail saying so instead of passing having checked nothing, or checking SQLite.
inline void require_postgres() {
    if (!on_postgres())
        throw std::runtime_error("a [postgres] case: needs SHOPD_TEST_DB=postgres and SHOPD_TEST_PG_URL");
}
inline void require_sqlite() {
    if (on_postgres())
        throw std::runtime_error("a [sqlite] case: tests the SQLite backend, not SHOPD_TEST_DB=postgres");
}

// The server URL for postgres runs; a test run with the switch but no URL is an error.
inline std::string postgres_url() {
    const char* u = std::getenv("SHOPD_TEST_PG_URL");
    if (!u || !*u) throw std::runtime_error("SHOPD_TEST_DB=postgres needs SHOPD_TEST_PG_URL");
    return u;
}

// A fresh schema on the test server; the returned URL puts it first on the search_path
// (public stays after it for extensions such as unaccent).
inline std::string create_postgres_schema(std::string& schema_out) {
    static std::atomic<int> counter{0};
    schema_out = "ut_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    std::string url = postgres_url();
    db::postgres::Connection admin(url);
    admin.script("DROP SCHEMA IF EXISTS " + schema_out + " CASCADE; CREATE SCHEMA " + schema_out);
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_out +
           "%2Cpublic";
}

class TestDb {
public:
    explicit TestDb(const db::Migrator& extra = {}) {
        if (on_postgres()) {
            config_.db = create_postgres_schema(schema_);
        } else {
            config_.db = dir_.file("test.db");
        }
        db_ = db::open_backend(config_, metrics_, bus_);
        db::Migrator m;
        db::add_core_migrations(m);
        for (const auto& mig : extra.migrations()) m.add(mig.module, mig.version, mig.sqlite_sql, mig.postgres_sql);
        db_->migrate(m.migrations());
    }
    ~TestDb() {
        db_.reset();
        if (!schema_.empty()) {
            try {
                db::postgres::Connection admin(postgres_url());
                admin.script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
            } catch (...) {
            }
        }
    }
    TestDb(const TestDb&) = delete;
    TestDb& operator=(const TestDb&) = delete;

    db::Backend& db() { return *db_; }
    events::Bus& bus() { return bus_; }
    core::Metrics& metrics() { return metrics_; }
    core::Config& config() { return config_; }
    // The SQLite file, or the PostgreSQL URL: either opens the same database again.
    const std::string& path() const { return config_.db; }

private:
    TempDir dir_;
    std::string schema_;
    core::Config config_;
    core::Metrics metrics_;
    events::Bus bus_;
    std::unique_ptr<db::Backend> db_;
};

}  // namespace shop::test
