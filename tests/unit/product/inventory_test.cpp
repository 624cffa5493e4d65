// Reservations: all lines or none, inside the caller's transaction, and never oversold by
// concurrent callers in one process or in two processes sharing the database file.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "product/product_inventory.hpp"
#include "product_fixture.hpp"

using namespace shop;
using api::Reservation;
using api::StockLine;

namespace {
std::int64_t stock_of(test::ProductFixture& f, const std::string& id) {
    return f.products.find(id)->stock;
}
}  // namespace

TEST_CASE("a reservation takes every line or none") {
    test::ProductFixture f;
    product::ProductInventory inv;
    auto a = f.make("A", 100, 5);
    auto b = f.make("B", 100, 1);

    auto r = f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, {{a.id, 3}, {b.id, 1}}); });
    CHECK(r.ok());
    CHECK(stock_of(f, a.id) == 2);
    CHECK(stock_of(f, b.id) == 0);
    CHECK(f.products.find(a.id)->version == 2);

    // b is short: a keeps its stock and its version, whichever line comes first.
    for (auto lines : {std::vector<StockLine>{{a.id, 1}, {b.id, 1}}, std::vector<StockLine>{{b.id, 1}, {a.id, 1}}}) {
        r = f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, lines); });
        CHECK(r.outcome == Reservation::Outcome::Insufficient);
        CHECK(r.product_id == b.id);
        CHECK(stock_of(f, a.id) == 2);
        CHECK(f.products.find(a.id)->version == 2);
    }

    // Lines naming one product are summed.
    r = f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, {{a.id, 1}, {a.id, 2}}); });
    CHECK(r.outcome == Reservation::Outcome::Insufficient);
    CHECK(stock_of(f, a.id) == 2);
    r = f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, {{a.id, 1}, {a.id, 1}}); });
    CHECK(r.ok());
    CHECK(stock_of(f, a.id) == 0);
}

TEST_CASE("unknown and archived products are unavailable, and reported before a shortage") {
    test::ProductFixture f;
    product::ProductInventory inv;
    auto a = f.make("A", 100, 5);
    auto gone = f.make("Gone", 100, 5);
    f.products.archive(gone.id, std::nullopt);

    auto r = f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, {{a.id, 1}, {"prod_missing", 1}}); });
    CHECK(r.outcome == Reservation::Outcome::Unavailable);
    CHECK(r.variant_id == "prod_missing");
    r = f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, {{gone.id, 1}}); });
    CHECK(r.outcome == Reservation::Outcome::Unavailable);
    CHECK(r.product_id == gone.id);
    r = f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, {{a.id, 50}, {gone.id, 1}}); });
    CHECK(r.outcome == Reservation::Outcome::Unavailable);
    CHECK(stock_of(f, a.id) == 5);

    f.t.db().read([&](db::Conn& c) {
        CHECK(inv.available(c, a.id) == 5);
        CHECK(inv.available(c, gone.id) == 0);
        CHECK(inv.available(c, "prod_missing") == 0);
    });
    CHECK_THROWS_AS(f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, {{a.id, 0}}); }), std::invalid_argument);
}

TEST_CASE("a refused reservation leaves the caller's own work in its transaction untouched") {
    test::ProductFixture f;
    product::ProductInventory inv;
    auto a = f.make("A", 100, 5);
    auto b = f.make("B", 100, 0);
    auto r = f.t.db().write([&](db::Tx& tx) {
        tx.emit("test.before", {{"n", 1}});
        auto out = inv.reserve(tx, {{a.id, 2}, {b.id, 1}});
        tx.emit("test.after", {{"n", 2}});
        return out;
    });
    CHECK_FALSE(r.ok());
    CHECK(f.events_of("test.before").size() == 1);
    CHECK(f.events_of("test.after").size() == 1);
    CHECK(stock_of(f, a.id) == 5);
}

TEST_CASE("release puts stock back, archived products included") {
    test::ProductFixture f;
    product::ProductInventory inv;
    auto a = f.make("A", 100, 5);
    REQUIRE(f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, {{a.id, 4}}); }).ok());
    f.products.archive(a.id, std::nullopt);
    f.t.db().write([&](db::Tx& tx) { inv.release(tx, {{a.id, 3}, {a.id, 1}}); });
    CHECK(stock_of(f, a.id) == 5);
}

TEST_CASE("concurrent reservations from many threads never oversell") {
    test::ProductFixture f;
    product::ProductInventory inv;
    constexpr int kStock = 60, kThreads = 8, kAttempts = 25;
    auto a = f.make("Hot item", 100, kStock);
    auto b = f.make("Companion", 100, kStock * 10);
    std::atomic<int> reserved{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            for (int j = 0; j < kAttempts; ++j) {
                auto r = f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, {{b.id, 1}, {a.id, 1}}); });
                if (r.ok()) ++reserved;
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(reserved == kStock);
    CHECK(stock_of(f, a.id) == 0);
    // b was taken exactly as often as a, never on a refused attempt.
    CHECK(stock_of(f, b.id) == kStock * 10 - kStock);
}

TEST_CASE("two database instances on one file (two processes) never oversell") {
    test::ProductFixture f;
    product::ProductInventory inv;
    constexpr int kStock = 40, kThreadsEach = 3, kAttempts = 20;
    auto a = f.make("Limited", 100, kStock);

    core::Config other;
    other.db = f.t.path();
    core::Metrics m;
    events::Bus bus;
    auto second = db::open_backend(other, m, bus);

    std::atomic<int> reserved{0};
    std::vector<std::thread> threads;
    for (db::Database* dbp : {static_cast<db::Database*>(&f.t.db()), static_cast<db::Database*>(second.get())}) {
        for (int i = 0; i < kThreadsEach; ++i) {
            threads.emplace_back([&, dbp] {
                for (int j = 0; j < kAttempts; ++j) {
                    auto r = dbp->write([&](db::Tx& tx) { return inv.reserve(tx, {{a.id, 1}}); });
                    if (r.ok()) ++reserved;
                }
            });
        }
    }
    for (auto& t : threads) t.join();
    CHECK(reserved == kStock);
    CHECK(stock_of(f, a.id) == 0);
    CHECK(second->read([&](db::Conn& c) { return inv.available(c, a.id); }) == 0);
}
