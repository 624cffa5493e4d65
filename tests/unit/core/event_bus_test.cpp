#include <catch2/catch.hpp>

#include <mutex>
#include <thread>

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
