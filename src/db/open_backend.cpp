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

namespace {

std::string outbox_schema(const std::string& id, const std::string& big) {
    return "CREATE TABLE outbox_jobs ("
           " id " + id + ","
           " kind TEXT NOT NULL,"
           " key TEXT NOT NULL,"
           " scope TEXT NOT NULL DEFAULT '',"
           " payload TEXT NOT NULL,"
           " status TEXT NOT NULL DEFAULT 'pending',"
           " attempts INTEGER NOT NULL DEFAULT 0,"
           " due_at " + big + " NOT NULL,"
           " lease " + big + " NOT NULL DEFAULT 0,"
           " last_code INTEGER,"
           " last_error TEXT,"
           " done_at " + big + ","
           " created_at " + big + " NOT NULL,"
           " UNIQUE (kind, key));"
           "CREATE INDEX outbox_jobs_due ON outbox_jobs(kind, due_at) WHERE status = 'pending';"
           "CREATE INDEX outbox_jobs_scope ON outbox_jobs(kind, scope, id);";
}

}  // namespace

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
    // The outbox (see shop/core/outbox.hpp): jobs that leave the process later (webhook
    // deliveries, mail). A leased job's due_at is its lease's end; the partial index holds
    // only the jobs still to send, however many finished ones are kept.
    m.add("core", 4, outbox_schema("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER"),
          outbox_schema("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BIGINT"));
}

}  // namespace shop::db
