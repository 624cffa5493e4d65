#include <catch2/catch.hpp>

#include "problem.hpp"

#include <atomic>
#include <thread>

#include "shop/core/idempotency.hpp"
#include "shop/core/error.hpp"
#include "test_db.hpp"

using namespace shop;

namespace {
db::Migrator counters() {
    db::Migrator m;
    m.add("t", 1, "CREATE TABLE effects (n INTEGER)");
    return m;
}

core::IdempotencyKey key(std::string k, std::string fp = "fp1") { return {"usr_1", std::move(k), std::move(fp)}; }

core::Answer effect(db::Tx& tx) {
    tx.exec("INSERT INTO effects(n) VALUES (1)");
    return {{{"made", tx.query("SELECT count(*) FROM effects").front().i64(0)}}, true, "/x/1"};
}

std::int64_t effects(test::TestDb& t) {
    return t.db().read([](db::Conn& c) { return c.query("SELECT count(*) FROM effects").front().i64(0); });
}
}  // namespace

TEST_CASE("the same key and body replays the first response and does nothing twice") {
    test::TestDb t(counters());
    core::Idempotency idem(t.db());
    auto first = core::to_response(idem.once(key("k1"), effect));
    auto second = core::to_response(idem.once(key("k1"), effect));
    CHECK(first.status == 201);
    CHECK(second.status == 201);
    CHECK(second.body == first.body);
    CHECK(second.header("Location") == "/x/1");
    CHECK(second.header("Idempotent-Replayed") == "true");
    CHECK_FALSE(first.header("Idempotent-Replayed"));
    CHECK(effects(t) == 1);
}

TEST_CASE("the same key with a different body is 422 idempotency_key_reused") {
    test::TestDb t(counters());
    core::Idempotency idem(t.db());
    idem.once(key("k1", "fpA"), effect);
    try {
        idem.once(key("k1", "fpB"), effect);
        FAIL("expected an error");
    } catch (const shop::Error& e) {
        CHECK(test::status_of(e) == 422);
        CHECK(e.code() == "idempotency_key_reused");
    }
    CHECK(effects(t) == 1);
}

TEST_CASE("keys are per user, and no key means no memory") {
    test::TestDb t(counters());
    core::Idempotency idem(t.db());
    idem.once(core::IdempotencyKey{"usr_1", "k", "fp"}, effect);
    idem.once(core::IdempotencyKey{"usr_2", "k", "fp"}, effect);
    idem.once(std::nullopt, effect);
    idem.once(std::nullopt, effect);
    CHECK(effects(t) == 4);
}

TEST_CASE("a failed effect stores nothing, so the key can be retried") {
    test::TestDb t(counters());
    core::Idempotency idem(t.db());
    CHECK_THROWS_AS(idem.once(key("k"), [](db::Tx& tx) -> core::Answer {
        tx.exec("INSERT INTO effects(n) VALUES (1)");
        throw Error("insufficient_stock", "no");
    }),
                    shop::Error);
    CHECK(effects(t) == 0);
    CHECK(core::to_response(idem.once(key("k"), effect)).status == 201);
    CHECK(effects(t) == 1);
}

TEST_CASE("concurrent requests with one key produce one effect") {
    test::TestDb t(counters());
    core::Idempotency idem(t.db());
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            if (idem.once(key("same"), effect).created) ++ok;
        });
    for (auto& th : threads) th.join();
    CHECK(ok == 8);
    CHECK(effects(t) == 1);
}

TEST_CASE("two-phase: an unfinished claim makes others wait, then replay") {
    test::TestDb t(counters());
    core::Idempotency idem(t.db());
    CHECK_FALSE(t.db().write([&](db::Tx& tx) { return idem.claim(tx, key("p")); }).has_value());
    CHECK_THROWS_AS(t.db().write([&](db::Tx& tx) { return idem.claim(tx, key("p")); }), core::Idempotency::InProgress);
    std::thread finisher([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        t.db().write([&](db::Tx& tx) { idem.complete(tx, key("p"), core::Answer{{{"id", "pay_1"}}, true, "/api/v1/payments/pay_1"}); });
    });
    auto r = core::to_response(idem.await(key("p")));
    finisher.join();
    CHECK(r.status == 201);
    CHECK(r.header("Idempotent-Replayed") == "true");

    CHECK_FALSE(t.db().write([&](db::Tx& tx) { return idem.claim(tx, key("q")); }).has_value());
    t.db().write([&](db::Tx& tx) { idem.abandon(tx, key("q")); });
    CHECK_FALSE(t.db().write([&](db::Tx& tx) { return idem.claim(tx, key("q")); }).has_value());
    try {
        idem.await(key("q"), std::chrono::milliseconds(50));
        FAIL("expected 409");
    } catch (const shop::Error& e) {
        CHECK(e.code() == "idempotency_in_progress");
    }
}

TEST_CASE("purge forgets old keys") {
    test::TestDb t(counters());
    core::Idempotency idem(t.db());
    idem.once(key("old"), effect);
    idem.purge(std::chrono::seconds(-1));
    idem.once(key("old"), effect);
    CHECK(effects(t) == 2);
}

// Regression (issue 11): a valid JSON body nested 100,000 deep used to overflow the stack in
// key_of's canonical dump(), killing the server before json_body() could refuse it with 400.
// A million levels overflow any default stack, so this test fails without the fix.
TEST_CASE("key_of survives a body nested far deeper than any request") {
    http::Request req;
    req.method = http::Method::Post;
    req.path = "/api/v1/payments";
    req.headers.emplace_back("Idempotency-Key", "deep-1");
    req.body = std::string(1000000, '[') + std::string(1000000, ']');
    http::Context ctx(req, {}, std::nullopt);
    auto k = core::Idempotency::key_of(ctx, true);
    REQUIRE(k);
    CHECK(k->key == "deep-1");
    // Different deep bodies still get different fingerprints; the same body the same one.
    http::Request other = req;
    other.body = std::string(1000001, '[') + std::string(1000001, ']');
    http::Context ctx2(other, {}, std::nullopt);
    CHECK(core::Idempotency::key_of(ctx2, true)->fingerprint != k->fingerprint);
    CHECK(core::Idempotency::key_of(ctx, true)->fingerprint == k->fingerprint);
}

TEST_CASE("key_of ignores spacing in an ordinary body") {
    http::Request a;
    a.method = http::Method::Post;
    a.path = "/api/v1/orders";
    a.headers.emplace_back("Idempotency-Key", "k");
    a.body = R"({"a": [1, 2, {"b": null}]})";
    http::Request b = a;
    b.body = R"({"a":[1,2,{"b":null}]})";
    http::Context ca(a, {}, std::nullopt), cb(b, {}, std::nullopt);
    CHECK(core::Idempotency::key_of(ca, false)->fingerprint == core::Idempotency::key_of(cb, false)->fingerprint);
}
