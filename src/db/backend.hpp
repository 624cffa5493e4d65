#pragma once
// What main and the CLI need from a storage backend beyond what modules see.
#include <memory>
#include <string>
#include <vector>

#include "db/event_bus.hpp"
#include "shop/core/config.hpp"
#include "shop/core/metrics.hpp"
#include "shop/db/database.hpp"
#include "shop/db/migrator.hpp"

namespace shop::db {

class Backend : public Database {
public:
    // Applies what is not applied yet, each migration in its own transaction.
    virtual void migrate(const std::vector<Migration>& migrations) = 0;
    // A consistent copy of the whole database into out_path, while others keep writing.
    virtual void backup(const std::string& out_path) = 0;
    // Stops the writer after the queued work; later calls fail.
    virtual void close() = 0;
    // Gives the calling thread (the event loop) a read connection of its own, so that a
    // handler running on the loop never waits for one held by a worker. A no-op where
    // reads are network round trips, which no loop handler makes.
    virtual void pin_reader_to_this_thread() {}
};

// The core's own tables: migration bookkeeping, the event log, shared settings,
// projection watermarks.
void add_core_migrations(Migrator& m);

// Picks the backend from the database name: a file path means SQLite.
std::unique_ptr<Backend> open_backend(const core::Config& config, core::Metrics& metrics, events::Bus& bus);

}  // namespace shop::db
