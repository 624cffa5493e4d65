#include "fts5_search_index.hpp"
#include "pg_search_index.hpp"
#include "search_module.hpp"

namespace shop::search {

// The search tables keep the migration identity ("data", 1) and ("data", 3) they had
// when search and analytics were one module named data: a database that module migrated
// is not migrated again, and one it left between versions is finished. Analytics owns
// ("data", 2); new search migrations would go on at ("data", 4).
void SearchModule::migrations(db::Migrator& m) {
    m.add("data", 1, Fts5SearchIndex::schema(), PgSearchIndex::schema());
    // The in-memory index follows the SQLite index's change feed; PostgreSQL searches its
    // own tsvector index and needs no feed.
    m.add("data", 3, Fts5SearchIndex::change_feed_schema(), "SELECT 1");
}

}  // namespace shop::search
