#include <catch2/catch.hpp>

#include <mutex>
#include <thread>

#include "shop/events/projection.hpp"
#include "test_db.hpp"

using namespace shop;

TEST_CASE("events are stored with the change and delivered after commit, in order") {
    test::TestDb t;
    std::mutex mu;
    std::vector<std::int64_t> seen;
    t.bus().subscribe("*", [&](const events::Event& e) {
        // Delivery happens after commit: a fresh read already sees the event row.
        auto n = t.db().read([&](db::Conn& c) { return c.query("SELECT count(*) FROM events WHERE seq = ?", e.seq); });
        CHECK(n.front().i64(0) == 1);
        std::lock_guard lock(mu);
        seen.push_back(e.seq);
    });
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&, i] {
            for (int j = 0; j < 25; ++j)
                t.db().write([&](db::Tx& tx) { tx.emit("thing.happened", {{"thing_id", i * 100 + j}}); });
        });
    for (auto& th : threads) th.join();
    std::lock_guard lock(mu);
    REQUIRE(seen.size() == 100);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
}

TEST_CASE("events of a rolled-back write are neither stored nor delivered") {
    test::TestDb t;
    int delivered = 0;
    t.bus().subscribe("x", [&](const events::Event&) { ++delivered; });
    CHECK_THROWS(t.db().write([](db::Tx& tx) {
        tx.emit("x", {{"id", 1}});
        throw std::runtime_error("abort");
    }));
    t.db().write([](db::Tx& tx) { tx.emit("x", {{"id", 2}}); });
    CHECK(delivered == 1);
    auto rows = t.db().read([](db::Conn& c) { return c.query("SELECT data FROM events"); });
    REQUIRE(rows.size() == 1);
    CHECK(nlohmann::json::parse(rows[0].str(0))["id"] == 2);
}

TEST_CASE("an in-transaction subscriber writes with the change, and its failure undoes it") {
    test::TestDb t;
    t.db().write([](db::Tx& tx) { tx.exec("CREATE TABLE derived (v INTEGER)"); });
    t.bus().subscribe_in_tx("y", [](db::Tx& tx, const events::Event& e) {
        if (e.data["v"] == 13) throw std::runtime_error("unlucky");
        tx.exec("INSERT INTO derived(v) VALUES (?)", e.data["v"].get<int>());
    });
    t.db().write([](db::Tx& tx) { tx.emit("y", {{"v", 1}}); });
    CHECK_THROWS(t.db().write([](db::Tx& tx) { tx.emit("y", {{"v", 13}}); }));
    auto n = t.db().read([](db::Conn& c) { return c.query("SELECT count(*) FROM derived").front().i64(0); });
    CHECK(n == 1);
    auto events = t.db().read([](db::Conn& c) { return c.query("SELECT count(*) FROM events").front().i64(0); });
    CHECK(events == 1);
}

TEST_CASE("a lazy projection's watermark: moved by the write on SQLite, by advance() over settled events on PostgreSQL") {
    test::TestDb t;
    t.db().write([](db::Tx& tx) { tx.exec("CREATE TABLE seen (seq BIGINT PRIMARY KEY)"); });
    events::Projection lazy{"lazy-projection", {"z"},
                            [](db::Tx& tx, const events::Event& e) {
                                tx.exec("INSERT INTO seen(seq) VALUES (?) ON CONFLICT (seq) DO NOTHING", e.seq);
                            },
                            /*lazy=*/true};
    events::Projection live{"live-projection", {"z"}, [](db::Tx&, const events::Event&) {}};
    events::EventFeed feed;
    feed.subscribe(t.bus(), lazy);
    feed.subscribe(t.bus(), live);
    for (int i = 0; i < 3; ++i) t.db().write([&](db::Tx& tx) { tx.emit("z", {{"i", i}}); });
    auto one = [&](const char* sql) { return t.db().read([&](db::Conn& c) { return c.query(sql).front().i64(0); }); };
    auto mark = [&](const char* name) { return t.db().read([&](db::Conn& c) { return feed.watermark(c, name); }); };
    const std::int64_t last = one("SELECT MAX(seq) FROM events");
    CHECK(one("SELECT count(*) FROM seen") == 3);  // applied in each event's transaction
    CHECK(mark("live-projection") == last);
    if (test::on_postgres()) {
        // No write touched the lazy one's row; events younger than `settled` are left alone.
        CHECK(mark("lazy-projection") == 0);
        CHECK(feed.advance(t.db(), std::chrono::hours(1)) == 0);
        CHECK(mark("lazy-projection") == 0);
        CHECK(feed.advance(t.db(), std::chrono::milliseconds(0)) == 3);
        CHECK(mark("lazy-projection") == last);
        CHECK(one("SELECT count(*) FROM seen") == 3);  // applied again, to no effect
        CHECK(feed.advance(t.db(), std::chrono::milliseconds(0)) == 0);
    } else {
        CHECK(mark("lazy-projection") == last);
        CHECK(feed.advance(t.db(), std::chrono::milliseconds(0)) == 0);
    }
}
