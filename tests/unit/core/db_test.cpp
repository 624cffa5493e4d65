// The SQLite backend's own tests (its SQL, WAL, group commit, the online backup), tagged
// [sqlite]: CTest runs them as core_test.sqlite and reports them skipped under
// SHOPD_TEST_DB=postgres. postgres_db_test.cpp is the PostgreSQL backend's counterpart.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "shop/db/errors.hpp"
#include "test_db.hpp"

using namespace shop;

namespace {
db::Migrator widgets() {
    db::Migrator m;
    m.add("widgets", 1, "CREATE TABLE widgets (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER NOT NULL)");
    m.add("widgets", 2, "ALTER TABLE widgets ADD COLUMN note TEXT");
    return m;
}
}  // namespace

TEST_CASE("migrations apply once, in order, and re-running them is a no-op", "[sqlite]") {
    test::require_sqlite();
    test::TestDb t(widgets());
    auto count = [&] {
        return t.db().read([](db::Conn& c) {
            return c.query("SELECT count(*) FROM schema_migrations WHERE module = 'widgets'").front().i64(0);
        });
    };
    CHECK(count() == 2);
    // Version 2 added a column: it exists.
    t.db().write([](db::Tx& tx) { tx.exec("INSERT INTO widgets(name, qty, note) VALUES ('a', 1, 'n')"); });
    t.db().migrate(widgets().migrations());
    CHECK(count() == 2);
    CHECK(t.db().read([](db::Conn& c) { return c.query("SELECT count(*) FROM widgets").front().i64(0); }) == 1);
}

TEST_CASE("pending migrations commit together: one that fails leaves none of them applied", "[sqlite]") {
    test::require_sqlite();
    test::TestDb t(widgets());
    db::Migrator more;
    more.add("widgets", 3, "CREATE TABLE gadgets (id INTEGER PRIMARY KEY)");
    more.add("widgets", 4, "ALTER TABLE no_such_table ADD COLUMN x TEXT");
    CHECK_THROWS(t.db().migrate(more.migrations()));
    auto applied = t.db().read([](db::Conn& c) {
        return c.query("SELECT max(version) FROM schema_migrations WHERE module = 'widgets'").front().i64(0);
    });
    CHECK(applied == 2);
    auto gadgets = t.db().read([](db::Conn& c) {
        return c.query("SELECT count(*) FROM sqlite_master WHERE name = 'gadgets'").front().i64(0);
    });
    CHECK(gadgets == 0);
}

TEST_CASE("values round-trip through bound parameters, never spliced", "[sqlite]") {
    test::require_sqlite();
    test::TestDb t(widgets());
    std::string evil = "x'); DROP TABLE widgets; --";
    t.db().write([&](db::Tx& tx) { tx.exec("INSERT INTO widgets(name, qty, note) VALUES (?, ?, ?)", evil, 7, nullptr); });
    auto row = t.db().read([](db::Conn& c) { return c.query_one("SELECT name, qty, note FROM widgets"); });
    REQUIRE(row);
    CHECK(row->str(0) == evil);
    CHECK(row->i64(1) == 7);
    CHECK(row->is_null(2));
    CHECK_FALSE(row->opt_str(2).has_value());
}

TEST_CASE("a failing write function is rolled back alone", "[sqlite]") {
    test::require_sqlite();
    test::TestDb t(widgets());
    t.db().write([](db::Tx& tx) { tx.exec("INSERT INTO widgets(name, qty) VALUES ('keep', 1)"); });
    CHECK_THROWS_AS(t.db().write([](db::Tx& tx) {
        tx.exec("INSERT INTO widgets(name, qty) VALUES ('half', 1)");
        throw std::runtime_error("business rule said no");
    }),
                    std::runtime_error);
    CHECK_THROWS_AS(t.db().write([](db::Tx& tx) { tx.exec("INSERT INTO widgets(name, qty) VALUES ('keep', 2)"); }),
                    db::ConstraintError);
    auto names = t.db().read([](db::Conn& c) { return c.query("SELECT name FROM widgets ORDER BY name"); });
    REQUIRE(names.size() == 1);
    CHECK(names[0].str(0) == "keep");
}

TEST_CASE("concurrent writers are batched and none of their writes is lost", "[sqlite]") {
    test::require_sqlite();
    test::TestDb t(widgets());
    t.db().write([](db::Tx& tx) { tx.exec("INSERT INTO widgets(name, qty) VALUES ('counter', 0)"); });
    constexpr int kThreads = 8, kPerThread = 50;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            for (int j = 0; j < kPerThread; ++j) {
                try {
                    t.db().write([&](db::Tx& tx) {
                        tx.exec("UPDATE widgets SET qty = qty + 1 WHERE name = 'counter'");
                        // Every tenth write of thread 0 fails: it must not undo the others.
                        if (i == 0 && j % 10 == 0) throw std::runtime_error("no");
                    });
                } catch (const std::runtime_error&) {
                    ++failures;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(failures == kPerThread / 10);
    auto qty = t.db().read([](db::Conn& c) { return c.query("SELECT qty FROM widgets").front().i64(0); });
    CHECK(qty == kThreads * kPerThread - failures);
    auto commits = t.metrics().counter("shopd_db_commits_total", "").value();
    CHECK(commits <= kThreads * kPerThread);
}

TEST_CASE("a second process's connection sees committed writes (WAL, shared file)", "[sqlite]") {
    test::require_sqlite();
    test::TestDb t(widgets());
    t.db().write([](db::Tx& tx) { tx.exec("INSERT INTO widgets(name, qty) VALUES ('w', 3)"); });
    core::Config other;
    other.db = t.path();
    core::Metrics m;
    events::Bus b;
    auto second = db::open_backend(other, m, b);
    CHECK(second->read([](db::Conn& c) { return c.query("SELECT qty FROM widgets").front().i64(0); }) == 3);
    second->write([](db::Tx& tx) { tx.exec("UPDATE widgets SET qty = 4"); });
    CHECK(t.db().read([](db::Conn& c) { return c.query("SELECT qty FROM widgets").front().i64(0); }) == 4);
}

TEST_CASE("backup gives a consistent copy while writes continue", "[sqlite]") {
    test::require_sqlite();
    test::TestDb t(widgets());
    for (int i = 0; i < 20; ++i)
        t.db().write([&](db::Tx& tx) { tx.exec("INSERT INTO widgets(name, qty) VALUES (?, ?)", "w" + std::to_string(i), i); });
    test::TempDir out;
    std::string copy = out.file("copy.db");
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        for (int i = 100; !stop && i < 5000; ++i)
            t.db().write([&](db::Tx& tx) { tx.exec("INSERT INTO widgets(name, qty) VALUES (?, ?)", "x" + std::to_string(i), i); });
    });
    t.db().backup(copy);
    stop = true;
    writer.join();
    core::Config c;
    c.db = copy;
    core::Metrics m;
    events::Bus b;
    auto restored = db::open_backend(c, m, b);
    CHECK(restored->read([](db::Conn& conn) { return conn.query("PRAGMA integrity_check").front().str(0); }) == "ok");
    CHECK(restored->read([](db::Conn& conn) { return conn.query("SELECT count(*) FROM widgets").front().i64(0); }) >= 20);
}
