#pragma once
// A real SQLite database in a temp file, migrated with the core tables plus whatever the
// test adds: what module unit tests use instead of mocks.
#include <memory>

#include "db/backend.hpp"
#include "db/event_bus.hpp"
#include "temp_dir.hpp"

namespace shop::test {

class TestDb {
public:
    explicit TestDb(const db::Migrator& extra = {}) {
        config_.db = dir_.file("test.db");
        db_ = db::open_backend(config_, metrics_, bus_);
        db::Migrator m;
        db::add_core_migrations(m);
        for (const auto& mig : extra.migrations()) m.add(mig.module, mig.version, mig.sqlite_sql, mig.postgres_sql);
        db_->migrate(m.migrations());
    }
    db::Backend& db() { return *db_; }
    events::Bus& bus() { return bus_; }
    core::Metrics& metrics() { return metrics_; }
    core::Config& config() { return config_; }
    const std::string& path() const { return config_.db; }

private:
    TempDir dir_;
    core::Config config_;
    core::Metrics metrics_;
    events::Bus bus_;
    std::unique_ptr<db::Backend> db_;
};

}  // namespace shop::test
