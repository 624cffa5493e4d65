// Search and analytics were one module, data. Their migrations keep the keys ("data", 1-3)
// that module applied, so a database it migrated is neither migrated twice nor left short.
// Later migrations go on from there: ("data", 4) brought variants to the search index,
// ("data", 5) discounts, shipping and tax to the sales tables.
#include <catch2/catch.hpp>

#include <set>
#include <utility>

#include "analytics/analytics_module.hpp"
#include "module_world.hpp"
#include "search/engine/query_terms.hpp"
#include "search/search_module.hpp"

using namespace shop;

namespace {

using Key = std::pair<std::string, int>;

// The migrations of both modules, in composition order.
db::Migrator split_migrations(test::ModuleWorld<search::SearchModule>& w) {
    analytics::AnalyticsModule analytics(w.rt);  // reads the catalogue the world offers
    db::Migrator m;
    w.module.migrations(m);
    analytics.migrations(m);
    return m;
}

}  // namespace

TEST_CASE("search and analytics keep the data module's migration keys") {
    test::ModuleWorld<search::SearchModule> w(false);
    auto m = split_migrations(w);
    std::set<Key> keys;
    for (const auto& mig : m.migrations()) keys.insert({mig.module, mig.version});
    CHECK(m.migrations().size() == 6);
    CHECK(keys == std::set<Key>{{"data", 1}, {"data", 2}, {"data", 3}, {"data", 4}, {"data", 5}, {"data", 6}});
}

// The keys are the same on both backends; the case builds a SQLite file.
TEST_CASE("a database the data module migrated is migrated only by the core's new watermark table", "[sqlite]") {
    test::require_sqlite();
    test::ModuleWorld<search::SearchModule> w(false);
    const db::Migrator now = split_migrations(w);

    // What the data module left: the core's first two migrations, then its own three,
    // data_watermarks created by its migration 2, and a projection's progress in it.
    test::TempDir dir;
    core::Config config;
    config.db = dir.file("old.db");
    core::Metrics metrics;
    events::Bus bus;
    auto db = db::open_backend(config, metrics, bus);
    db::Migrator core;
    db::add_core_migrations(core);
    db::Migrator old;
    for (const auto& mig : core.migrations())
        if (mig.version <= 2) old.add(mig.module, mig.version, mig.sqlite_sql);
    for (const auto& mig : now.migrations()) {
        if (mig.version > 3) continue;  // after the split
        std::string sql = mig.sqlite_sql;
        if (mig.version == 2)
            sql = "CREATE TABLE data_watermarks (consumer TEXT PRIMARY KEY, seq INTEGER NOT NULL);" + sql;
        old.add(mig.module, mig.version, sql);
    }
    db->migrate(old.migrations());
    db->write([](db::Tx& tx) { tx.exec("INSERT INTO data_watermarks(consumer, seq) VALUES ('sales', 42)"); });

    // Today's binary up to ("data", 4): every CREATE TABLE of the data module would throw if
    // it ran again. (Later migrations change the tables on purpose, as ("data", 5) starts the
    // sales projection over; analytics_test covers it.)
    db::Migrator all = core;
    for (const auto& mig : now.migrations())
        if (mig.version <= 4) all.add(mig.module, mig.version, mig.sqlite_sql, mig.postgres_sql);
    REQUIRE_NOTHROW(db->migrate(all.migrations()));
    REQUIRE_NOTHROW(db->migrate(all.migrations()));
    auto applied = db->read([](db::Conn& c) {
        std::set<Key> out;
        for (const auto& r : c.query("SELECT module, version FROM schema_migrations"))
            out.insert({r.str(0), static_cast<int>(r.i64(1))});
        return out;
    });
    CHECK(applied ==
          std::set<Key>{{"core", 1}, {"core", 2}, {"core", 3}, {"core", 4}, {"data", 1}, {"data", 2}, {"data", 3},
                        {"data", 4}});
    events::EventFeed feed;
    CHECK(db->read([&](db::Conn& c) { return feed.watermark(c, "sales"); }) == 42);
    db->close();
}

// On either backend: what a binary before ("data", 4) left is a document without the
// variants and the search projection's watermark past the product's event. The migration
// starts the projection over, so the next start puts the product back with its variants.
TEST_CASE("migration 4 rebuilds an index made before variants: their skus are found, once") {
    test::ModuleWorld<search::SearchModule> source(false);  // the module's migrations today
    db::Migrator all, before_variants;
    source.module.migrations(all);
    for (const auto& mig : all.migrations())
        if (mig.version <= 3) before_variants.add(mig.module, mig.version, mig.sqlite_sql, mig.postgres_sql);
    test::TestDb t(before_variants);
    t.db().write([&](db::Tx& tx) {
        tx.emit(events::ProductCreated{"t1", std::nullopt, 1500, "USD", 0});
        const std::int64_t seq = tx.query("SELECT MAX(seq) FROM events").front().i64(0);
        if (test::on_postgres()) {
            tx.exec("INSERT INTO data_search_docs(product_id, category_id, price, name, description, document) "
                    "VALUES ('t1', NULL, 1500, 'Basic tee', '', to_tsvector('shop_search', 'Basic tee'))");
        } else {
            tx.exec("INSERT INTO data_search_docs(doc, product_id, category_id, price, active, rev) "
                    "VALUES (1, 't1', NULL, 1500, 1, 1)");
            tx.exec("INSERT INTO data_search_fts(rowid, name, description) VALUES (1, 'Basic tee', '')");
        }
        tx.exec("INSERT INTO data_watermarks(consumer, seq) VALUES ('search', ?)", seq);
    });

    t.db().migrate(all.migrations());  // applies ("data", 4) alone
    test::FakeCatalog catalog;
    catalog.add_sized("t1", {"M", "L"}, 1500).name = "Basic tee";
    test::NoScheduler sched;
    core::Idempotency idem{t.db()};
    Interfaces ifs;
    ifs.offer<api::Catalog>("test", catalog);
    Runtime rt{t.config(), t.db(), t.bus(), t.metrics(), sched, idem, ifs};
    search::SearchModule module(rt);
    module.start();

    auto find = [&](const std::string& q) {
        search::SearchRequest r;
        r.words = *search::query_words(q);
        return module.search().search(r);
    };
    auto by_sku = find("SKU-t1-M");
    REQUIRE(by_sku.items.size() == 1);
    CHECK(by_sku.items[0]["id"] == "t1");
    CHECK(find("tee").total == 1);  // the old document was replaced, not joined by a second
    CHECK(find("tee").facets["price"] == nlohmann::json{{"min", 1500}, {"max", 1500}});
}
