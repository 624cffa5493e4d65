#include "fts5_search_index.hpp"
#include "pg_search_index.hpp"
#include "search_module.hpp"

namespace shop::search {

// The search tables keep the migration identity ("data", 1) and ("data", 3) they had
// when search and analytics were one module named data: a database that module migrated
// is not migrated again, and one it left between versions is finished. Analytics owns
// ("data", 2); later search migrations take the next number neither module has used.
void SearchModule::migrations(db::Migrator& m) {
    m.add("data", 1, Fts5SearchIndex::schema(), PgSearchIndex::schema());
    // The in-memory index follows the SQLite index's change feed; PostgreSQL searches its
    // own tsvector index and needs no feed.
    m.add("data", 3, Fts5SearchIndex::change_feed_schema(), "SELECT 1");
    // Variant skus and option values become searchable, and the facets need each product's
    // option values and highest price: both backends rebuild the index from the event log.
    m.add("data", 4, Fts5SearchIndex::variants_schema(), PgSearchIndex::variants_schema());
}

}  // namespace shop::search
