#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "shop/core/outbox.hpp"
#include "shop/core/time.hpp"
#include "test_db.hpp"

using namespace shop;
using core::Outbox;

namespace {

// A clock the test moves by hand.
struct FakeClock {
    std::int64_t now = 1'000'000;
    Outbox::Clock fn() {
        return [this] { return now; };
    }
};

void add(test::TestDb& t, const std::string& key, std::int64_t due, const std::string& scope = "") {
    t.db().write([&](db::Tx& tx) {
        core::Outbox::enqueue(tx, "k", key, "p-" + key, due, scope);
    });
}

core::JobView view(test::TestDb& t, std::int64_t id) {
    return *t.db().read([&](db::Conn& c) { return Outbox::find(c, "k", id); });
}

}  // namespace

TEST_CASE("enqueueing a (kind, key) twice keeps one job and its first payload") {
    test::TestDb t;
    bool first = false, second = true;
    t.db().write([&](db::Tx& tx) { first = Outbox::enqueue(tx, "k", "a", "one"); });
    t.db().write([&](db::Tx& tx) { second = Outbox::enqueue(tx, "k", "a", "two"); });
    t.db().write([&](db::Tx& tx) { Outbox::enqueue(tx, "other", "a", "three"); });
    CHECK(first);
    CHECK_FALSE(second);
    Outbox outbox(t.db());
    auto jobs = outbox.claim("k", 10, std::chrono::seconds(60));
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0].payload == "one");
    CHECK(jobs[0].attempts == 1);
}

TEST_CASE("an enqueue rolled back with its transaction leaves no job") {
    test::TestDb t;
    try {
        t.db().write([&](db::Tx& tx) {
            Outbox::enqueue(tx, "k", "a", "x");
            throw std::runtime_error("the change failed");
        });
    } catch (const std::runtime_error&) {
    }
    Outbox outbox(t.db());
    CHECK(outbox.claim("k", 10, std::chrono::seconds(60)).empty());
}

TEST_CASE("claim takes due jobs only, oldest due first, and leases them") {
    test::TestDb t;
    FakeClock clock;
    Outbox outbox(t.db(), clock.fn());
    add(t, "later", clock.now + 5000);
    add(t, "second", clock.now - 10);
    add(t, "first", clock.now - 20);
    auto jobs = outbox.claim("k", 10, std::chrono::seconds(60));
    REQUIRE(jobs.size() == 2);
    std::set<std::string> keys{jobs[0].key, jobs[1].key};
    CHECK(keys == std::set<std::string>{"first", "second"});
    // Leased: no second claim gets them, even once "later" is due.
    clock.now += 6000;
    auto more = outbox.claim("k", 10, std::chrono::seconds(60));
    REQUIRE(more.size() == 1);
    CHECK(more[0].key == "later");
    CHECK(outbox.claim("k", 1, std::chrono::seconds(60)).empty());
}

TEST_CASE("claim leaves the skipped scopes' jobs due for a later claim") {
    test::TestDb t;
    FakeClock clock;
    Outbox outbox(t.db(), clock.fn());
    add(t, "a1", clock.now - 30, "slow");
    add(t, "b1", clock.now - 20, "fast");
    add(t, "c1", clock.now - 10, "other");
    add(t, "a2", clock.now - 5, "slow");
    const std::vector<std::string> skip{"slow", "other"};
    auto jobs = outbox.claim("k", 10, std::chrono::seconds(60), skip);
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0].key == "b1");
    // Not leased, not counted as an attempt: the next claim without the skip takes them.
    auto rest = outbox.claim("k", 10, std::chrono::seconds(60));
    std::set<std::string> keys;
    for (const auto& j : rest) {
        keys.insert(j.key);
        CHECK(j.attempts == 1);
    }
    CHECK(keys == std::set<std::string>{"a1", "a2", "c1"});
}

TEST_CASE("a lease that ends unsettled makes the job claimable again, and the old claimer cannot settle it") {
    test::TestDb t;
    FakeClock clock;
    Outbox outbox(t.db(), clock.fn());
    add(t, "a", clock.now);
    auto first = outbox.claim("k", 1, std::chrono::seconds(30));
    REQUIRE(first.size() == 1);
    clock.now += 29'000;
    CHECK(outbox.claim("k", 1, std::chrono::seconds(30)).empty());
    clock.now += 2'000;  // the first claimer died
    auto second = outbox.claim("k", 1, std::chrono::seconds(30));
    REQUIRE(second.size() == 1);
    CHECK(second[0].id == first[0].id);
    CHECK(second[0].attempts == 2);
    CHECK(second[0].lease != first[0].lease);
    CHECK_FALSE(outbox.succeed(first[0]));
    CHECK(view(t, first[0].id).status == core::JobStatus::Pending);
    CHECK(outbox.succeed(second[0], 204));
    auto v = view(t, first[0].id);
    CHECK(v.status == core::JobStatus::Done);
    CHECK(v.last_code == 204);
    CHECK(v.done_at_ms == clock.now);
    CHECK(v.attempts == 2);
}

TEST_CASE("fail records the error and the next try; give_up ends the job; postpone is not an attempt") {
    test::TestDb t;
    FakeClock clock;
    Outbox outbox(t.db(), clock.fn());
    add(t, "a", clock.now, "scope1");
    auto j = outbox.claim("k", 1, std::chrono::seconds(60)).at(0);
    REQUIRE(outbox.fail(j, "HTTP 500", clock.now + 1000, 500));
    auto v = view(t, j.id);
    CHECK(v.status == core::JobStatus::Pending);
    CHECK(v.last_code == 500);
    CHECK(v.last_error == "HTTP 500");
    CHECK(v.due_at_ms == clock.now + 1000);
    CHECK(v.attempts == 1);
    CHECK(outbox.claim("k", 1, std::chrono::seconds(60)).empty());

    clock.now += 1000;
    j = outbox.claim("k", 1, std::chrono::seconds(60)).at(0);
    CHECK(j.attempts == 2);
    REQUIRE(outbox.postpone(j, clock.now + 500));
    CHECK(view(t, j.id).attempts == 1);

    clock.now += 500;
    j = outbox.claim("k", 1, std::chrono::seconds(60)).at(0);
    CHECK(j.attempts == 2);
    REQUIRE(outbox.give_up(j, "timed out"));
    v = view(t, j.id);
    CHECK(v.status == core::JobStatus::Failed);
    CHECK_FALSE(v.last_code);
    CHECK(v.last_error == "timed out");
    clock.now += 1'000'000;
    CHECK(outbox.claim("k", 1, std::chrono::seconds(60)).empty());

    // A manual retry makes even a failed job due now; attempts keep counting.
    t.db().write([&](db::Tx& tx) { CHECK(Outbox::retry_now(tx, "k", j.id, clock.now)); });
    t.db().write([&](db::Tx& tx) { CHECK_FALSE(Outbox::retry_now(tx, "other", j.id, clock.now)); });
    j = outbox.claim("k", 1, std::chrono::seconds(60)).at(0);
    CHECK(j.attempts == 3);
}

TEST_CASE("wake makes a scope's waiting jobs due; remove deletes them; list pages newest first") {
    test::TestDb t;
    FakeClock clock;
    Outbox outbox(t.db(), clock.fn());
    for (int i = 0; i < 5; ++i) add(t, "s1-" + std::to_string(i), clock.now + 100'000, "s1");
    add(t, "s2-0", clock.now + 100'000, "s2");
    CHECK(outbox.claim("k", 10, std::chrono::seconds(1)).empty());
    t.db().write([&](db::Tx& tx) { CHECK(Outbox::wake(tx, "k", "s1", clock.now) == 5); });
    CHECK(outbox.claim("k", 10, std::chrono::seconds(1)).size() == 5);

    auto page1 = t.db().read([&](db::Conn& c) { return Outbox::list(c, "k", "s1", 0, 3); });
    REQUIRE(page1.size() == 3);
    CHECK(page1[0].key == "s1-4");
    CHECK(page1[0].id > page1[1].id);
    auto page2 = t.db().read([&](db::Conn& c) { return Outbox::list(c, "k", "s1", page1.back().id, 3); });
    REQUIRE(page2.size() == 2);
    CHECK(page2.back().key == "s1-0");

    t.db().write([&](db::Tx& tx) { CHECK(Outbox::remove(tx, "k", "s1") == 5); });
    CHECK(t.db().read([&](db::Conn& c) { return Outbox::list(c, "k", "s1", 0, 10); }).empty());
    CHECK(t.db().read([&](db::Conn& c) { return Outbox::list(c, "k", "s2", 0, 10); }).size() == 1);
}

TEST_CASE("purge forgets finished jobs and keeps pending ones") {
    test::TestDb t;
    Outbox outbox(t.db());
    add(t, "a", core::now_ms());
    add(t, "b", core::now_ms());
    auto jobs = outbox.claim("k", 1, std::chrono::seconds(60));
    REQUIRE(outbox.succeed(jobs.at(0)));
    CHECK(outbox.purge("k", std::chrono::milliseconds(-1000)) == 1);
    CHECK(t.db().read([&](db::Conn& c) { return c.query("SELECT COUNT(*) FROM outbox_jobs").front().i64(0); }) == 1);
}

TEST_CASE("two connections claiming at once never hold the same job, and together take every job") {
    test::TestDb t;
    constexpr int kJobs = 300;
    t.db().write([&](db::Tx& tx) {
        for (int i = 0; i < kJobs; ++i)
            Outbox::enqueue(tx, "k", std::to_string(i), "x");
    });
    // A second database handle on the same file (or server): what another process is.
    core::Config config = t.config();
    core::Metrics metrics;
    events::Bus bus;
    auto other = db::open_backend(config, metrics, bus);

    std::vector<std::int64_t> got[2];
    auto worker = [&](db::Database& db, std::vector<std::int64_t>& out) {
        Outbox outbox(db);
        for (int round = 0; round < kJobs; ++round) {  // bounded: each round takes at least one job or stops
            auto jobs = outbox.claim("k", 7, std::chrono::seconds(60));
            if (jobs.empty()) break;
            for (const auto& j : jobs) out.push_back(j.id);
            std::vector<core::Settlement> done;
            for (const auto& j : jobs) done.push_back(core::Settlement::succeeded(j));
            outbox.settle(done);
        }
    };
    std::thread a(worker, std::ref(static_cast<db::Database&>(t.db())), std::ref(got[0]));
    std::thread b(worker, std::ref(static_cast<db::Database&>(*other)), std::ref(got[1]));
    a.join();
    b.join();
    other->close();

    std::set<std::int64_t> all(got[0].begin(), got[0].end());
    for (auto id : got[1]) CHECK(all.insert(id).second);  // never both
    CHECK(all.size() == kJobs);
    CHECK(got[0].size() + got[1].size() == kJobs);
}

TEST_CASE("backoff doubles from its base and stops after the last attempt") {
    core::Backoff b{std::chrono::milliseconds(100), 4};
    CHECK(b.delay(1) == std::chrono::milliseconds(100));
    CHECK(b.delay(2) == std::chrono::milliseconds(200));
    CHECK(b.delay(3) == std::chrono::milliseconds(400));
    CHECK_FALSE(b.delay(4));
    CHECK_FALSE(b.delay(0));
    CHECK(b.next_due(2, 1000) == 1200);
    core::Backoff defaults;
    CHECK(defaults.delay(9) == std::chrono::milliseconds(60000LL * 256));
    CHECK_FALSE(defaults.delay(10));
    core::Backoff huge{std::chrono::milliseconds(INT64_MAX / 4), 100};
    CHECK(huge.delay(60) > std::chrono::milliseconds(0));
}
