#include "db/backend.hpp"
#include "db/postgres/pg_database.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "shop/db/errors.hpp"

namespace shop::db {

std::unique_ptr<Backend> open_backend(const core::Config& config, core::Metrics& metrics, events::Bus& bus) {
    const std::string& name = config.db;
    if (name.starts_with("postgres://") || name.starts_with("postgresql://"))
        return std::make_unique<postgres::PostgresDatabase>(name, config.storage, metrics, bus);
    return std::make_unique<sqlite::SqliteDatabase>(name, config.storage, metrics, bus);
}

void add_core_migrations(Migrator& m) {
    m.add("core", 1,
          "CREATE TABLE events ("
          " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
          " type TEXT NOT NULL,"
          " created_at INTEGER NOT NULL,"
          " data TEXT NOT NULL);"
          "CREATE INDEX events_type_seq ON events(type, seq);"
          "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
          "CREATE TABLE events ("
          " seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
          " type TEXT NOT NULL,"
          " created_at BIGINT NOT NULL,"
          " data TEXT NOT NULL);"
          "CREATE INDEX events_type_seq ON events(type, seq);"
          "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);");
    // Idempotency-Key records (see shop/core/idempotency.hpp); status is NULL while the
    // first request holding the key is still running.
    m.add("core", 2,
          "CREATE TABLE idempotency_keys ("
          " user_id TEXT NOT NULL,"
          " key TEXT NOT NULL,"
          " fingerprint TEXT NOT NULL,"
          " status INTEGER,"
          " response_body TEXT,"
          " response_headers TEXT,"
          " created_at INTEGER NOT NULL,"
          " PRIMARY KEY (user_id, key));"
          "CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);",
          "CREATE TABLE idempotency_keys ("
          " user_id TEXT NOT NULL,"
          " key TEXT NOT NULL,"
          " fingerprint TEXT NOT NULL,"
          " status INTEGER,"
          " response_body TEXT,"
          " response_headers TEXT,"
          " created_at BIGINT NOT NULL,"
          " PRIMARY KEY (user_id, key));"
          "CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);");
    // Projection watermarks (see shop/events/projection.hpp), shared by the search and the
    // analytics modules. The data module created this table in its migration 2, so a
    // database it migrated has it already: hence IF NOT EXISTS, and the historical name.
    m.add("core", 3, "CREATE TABLE IF NOT EXISTS data_watermarks (consumer TEXT PRIMARY KEY, seq INTEGER NOT NULL)",
          "CREATE TABLE IF NOT EXISTS data_watermarks (consumer TEXT PRIMARY KEY, seq BIGINT NOT NULL)");
}

}  // namespace shop::db
