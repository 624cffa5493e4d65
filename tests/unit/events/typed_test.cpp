// Publishing and subscribing with the structs, on a real database and bus.
#include <catch2/catch.hpp>

#include "samples.hpp"
#include "shop/events/typed.hpp"
#include "test_db.hpp"

using namespace shop;
using nlohmann::json;

TEST_CASE("Tx::emit of a struct stores its type and its JSON form") {
    test::TestDb t;
    auto s = test::sample(std::type_identity<events::OrderPaid>{});
    t.db().write([&](db::Tx& tx) { tx.emit(s.event); });
    auto rows = t.db().read([](db::Conn& c) { return c.query("SELECT type, data FROM events"); });
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].str(0) == "order.paid");
    CHECK(rows[0].str(1) == s.legacy.dump());
}

TEST_CASE("typed subscribers receive the struct, and skip a malformed event without failing its write") {
    test::TestDb t;
    std::vector<events::OrderPaid> paid;
    std::vector<std::int64_t> paid_seqs;
    events::subscribe<events::OrderPaid>(t.bus(), [&](const events::OrderPaid& e, const events::Event& env) {
        paid.push_back(e);
        paid_seqs.push_back(env.seq);
    });
    std::vector<std::string> products;
    events::subscribe_in_tx<events::ProductCreated, events::ProductArchived>(
        t.bus(), [&](db::Tx&, const auto& e) { products.push_back(std::string(e.kType) + " " + e.product_id); });

    auto order = test::sample(std::type_identity<events::OrderPaid>{}).event;
    t.db().write([&](db::Tx& tx) {
        tx.emit(events::ProductCreated{"prod_1", std::nullopt, 100, "USD", 1});
        tx.emit(events::ProductUpdated{"prod_1", 2, {"name"}});  // not subscribed
        tx.emit(order);
    });
    // What an older binary or a hand-made row might hold: skipped, and the write stands.
    CHECK_NOTHROW(t.db().write([&](db::Tx& tx) {
        tx.emit("order.paid", {{"order_id", "ord_2"}});
        tx.emit("product.archived", json("prod_1"));
    }));
    t.db().write([&](db::Tx& tx) { tx.emit(events::ProductArchived{"prod_1"}); });

    REQUIRE(paid.size() == 1);
    CHECK(paid[0] == order);
    CHECK(paid_seqs == std::vector<std::int64_t>{3});
    CHECK(products == std::vector<std::string>{"product.created prod_1", "product.archived prod_1"});
    auto stored = t.db().read([](db::Conn& c) { return c.query("SELECT count(*) FROM events"); });
    CHECK(stored.front().i64(0) == 6);
}

TEST_CASE("dispatch hands over whichever of its events arrived, and reports what it did not") {
    auto created = test::sample(std::type_identity<events::ProductCreated>{});
    auto archived = test::sample(std::type_identity<events::ProductArchived>{});
    std::vector<std::string> seen;
    auto note = [&](const auto& e) { seen.push_back(std::string(e.kType)); };
    using events::Event;
    CHECK(events::dispatch<events::ProductCreated, events::ProductArchived>(
        Event{1, "product.created", 0, created.legacy}, note));
    CHECK(events::dispatch<events::ProductCreated, events::ProductArchived>(
        Event{2, "product.archived", 0, archived.legacy}, note));
    CHECK_FALSE(events::dispatch<events::ProductCreated, events::ProductArchived>(
        Event{3, "product.updated", 0, archived.legacy}, note));
    CHECK_FALSE(events::dispatch<events::ProductCreated>(Event{4, "product.created", 0, archived.legacy}, note));
    CHECK(seen == std::vector<std::string>{"product.created", "product.archived"});
}
