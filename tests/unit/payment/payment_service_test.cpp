#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <chrono>

#include "no_scheduler.hpp"
#include "payment/payment_module.hpp"
#include "payment/payment_repository.hpp"
#include "payment/sandbox_provider.hpp"
#include "payment/webhook_signature.hpp"
#include "problem.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"
#include "test_db.hpp"

using namespace shop;
using namespace shop::payment;

namespace {
// Orders in a real table, so mark_paid commits or rolls back with the payment.
struct FakeOrders : api::Orders {
    std::optional<api::OrderSummary> order(db::Conn& c, std::string_view id) override {
        auto r = c.query_one("SELECT id, user_id, status, total FROM fake_orders WHERE id = ?", std::string(id));
        if (!r) return std::nullopt;
        return api::OrderSummary{r->str(0), r->str(1), r->str(2), r->i64(3), "USD"};
    }
    bool mark_paid(db::Tx& tx, std::string_view id, std::string_view) override {
        return tx.exec("UPDATE fake_orders SET status = 'paid' WHERE id = ? AND status = 'pending_payment'",
                       std::string(id)) == 1;
    }
    // Guest orders (no user) open with the token "tok-" + their id.
    bool opened_by(db::Conn& c, std::string_view id, std::string_view token) override {
        auto o = order(c, id);
        return o && o->user_id.empty() && token == "tok-" + std::string(id);
    }
    std::optional<api::OrderReceipt> receipt(db::Conn&, std::string_view) override { return std::nullopt; }
};

db::Migrator fake_orders() {
    db::Migrator m;
    m.add("fake", 1, "CREATE TABLE fake_orders (id TEXT PRIMARY KEY, user_id TEXT, status TEXT, total INTEGER)");
    return m;
}

struct World {
    test::TestDb t{fake_orders()};
    test::NoScheduler sched;
    core::Idempotency idem{t.db()};
    Interfaces ifs;
    Runtime rt{t.config(), t.db(), t.bus(), t.metrics(), sched, idem, ifs};
    FakeOrders orders;
    std::unique_ptr<PaymentModule> module;
    http::Principal alice{"usr_a", http::Role::Customer};

    World() {
        t.config().settings->set("payments.webhook_secret", "whsec_test_0123456789abcdef0123456789");
        ifs.offer<api::Orders>("test", orders);
        module = std::make_unique<PaymentModule>(rt);
        db::Migrator m;
        module->migrations(m);
        t.db().migrate(m.migrations());
    }
    PaymentService& svc() { return dynamic_cast<PaymentService&>(module->payments()); }
    void add_order(const std::string& id, std::int64_t total, const std::string& user = "usr_a") {
        t.db().write([&](db::Tx& tx) {
            tx.exec("INSERT INTO fake_orders VALUES (?, ?, 'pending_payment', ?)", id, user, total);
        });
    }
    std::string order_status(const std::string& id) {
        return t.db().read([&](db::Conn& c) { return c.query("SELECT status FROM fake_orders WHERE id = ?", id).front().str(0); });
    }
    nlohmann::json pay(const std::string& order, const std::string& number, const std::string& key) {
        Card c;
        c.number = number;
        c.exp_month = 12;
        c.exp_year = 2030;
        c.cvc = "123";
        auto r = core::to_response(svc().pay(alice.user_id, {alice.user_id, key, "fp-" + order + number}, order, c));
        CHECK(r.status == 201);
        return nlohmann::json::parse(r.body);
    }
    std::string code_of(const std::function<void()>& fn) { return test::code_of(fn); }
};
}  // namespace

TEST_CASE("a good card pays the order's total and marks it paid") {
    World w;
    w.add_order("ord_1", 4200);
    auto p = w.pay("ord_1", "4242424242424242", "k1");
    CHECK(p["status"] == "succeeded");
    CHECK(p["amount"] == 4200);
    CHECK(p["card"]["last4"] == "4242");
    CHECK(p["failure_code"].is_null());
    CHECK(w.order_status("ord_1") == "paid");
    CHECK(w.code_of([&] { w.pay("ord_1", "4242424242424242", "k2"); }) == "order_not_payable");
}

TEST_CASE("a declined card leaves the order payable") {
    World w;
    w.add_order("ord_1", 100);
    auto p = w.pay("ord_1", "4000000000000002", "k1");
    CHECK(p["status"] == "failed");
    CHECK(p["failure_code"] == "card_declined");
    CHECK(w.order_status("ord_1") == "pending_payment");
    CHECK(w.pay("ord_1", "4000000000009995", "k2")["failure_code"] == "insufficient_funds");
    CHECK(w.pay("ord_1", "4242424242424242", "k3")["status"] == "succeeded");
}

TEST_CASE("after five declined payments an order takes no more attempts") {
    World w;
    w.add_order("ord_1", 100);
    for (int i = 0; i < kMaxFailedAttempts; ++i)
        CHECK(w.pay("ord_1", "4000000000000002", "d" + std::to_string(i))["status"] == "failed");
    CHECK(w.code_of([&] { w.pay("ord_1", "4242424242424242", "good"); }) == "too_many_attempts");
    CHECK(w.order_status("ord_1") == "pending_payment");
    // A retry of an earlier attempt's key still replays its answer.
    CHECK(w.pay("ord_1", "4000000000000002", "d0")["status"] == "failed");
}

TEST_CASE("someone else's order is not found") {
    World w;
    w.add_order("ord_b", 100, "usr_b");
    CHECK(w.code_of([&] { w.pay("ord_b", "4242424242424242", "k"); }) == "not_found");
    CHECK(w.code_of([&] { w.pay("ord_nope", "4242424242424242", "k"); }) == "not_found");
}

TEST_CASE("two keys at once: one success, one order_not_payable") {
    World w;
    w.add_order("ord_1", 100);
    std::atomic<int> ok{0}, refused{0};
    std::vector<std::thread> th;
    for (int i = 0; i < 6; ++i)
        th.emplace_back([&, i] {
            try {
                if (w.pay("ord_1", "4242424242424242", "key" + std::to_string(i))["status"] == "succeeded") ++ok;
            } catch (const shop::Error& e) {
                if (e.code() == "order_not_payable") ++refused;
            }
        });
    for (auto& t : th) t.join();
    CHECK(ok == 1);
    CHECK(refused == 5);
}

TEST_CASE("processing settles by signed webhook, once") {
    World w;
    w.add_order("ord_1", 700);
    auto p = w.pay("ord_1", "4000000000003220", "k1");
    CHECK(p["status"] == "processing");
    CHECK(w.order_status("ord_1") == "pending_payment");
    std::string body = R"({"id":"evt_x","type":"payment.succeeded","data":{"payment_id":")" + p["id"].get<std::string>() + R"("}})";
    std::int64_t now = core::now_ms() / 1000;
    std::string header = "t=" + std::to_string(now) + ",v1=" + sign_webhook("whsec_test_0123456789abcdef0123456789", now, body);
    CHECK(w.svc().webhook(header, body)["duplicate"] == false);
    CHECK(w.svc().find(p["id"])->status == "succeeded");
    CHECK(w.order_status("ord_1") == "paid");
    CHECK(w.svc().webhook(header, body)["duplicate"] == true);
    auto succeeded = w.t.db().read([](db::Conn& c) {
        return c.query("SELECT count(*) FROM events WHERE type = 'payment.succeeded'").front().i64(0);
    });
    CHECK(succeeded == 1);
    CHECK(w.code_of([&] { w.svc().webhook("t=1,v1=00", body); }) == "invalid_signature");
}

TEST_CASE("refund arithmetic: partial, then the rest, never more than paid") {
    World w;
    w.add_order("ord_1", 1000);
    auto p = w.pay("ord_1", "4242424242424242", "k1");
    std::string id = p["id"];
    CHECK(core::to_response(w.svc().refund(std::nullopt, id, 300)).status == 201);
    CHECK(w.svc().find(id)->status == "partially_refunded");
    CHECK(w.svc().find(id)->amount_refunded == 300);
    CHECK(w.code_of([&] { w.svc().refund(std::nullopt, id, 701); }) == "refund_exceeds_payment");
    auto rest = w.svc().refund(std::nullopt, id, std::nullopt).body;
    CHECK(rest["amount"] == 700);
    CHECK(w.svc().find(id)->status == "refunded");
    CHECK(w.code_of([&] { w.svc().refund(std::nullopt, id, 1); }) == "refund_exceeds_payment");
    CHECK(refund_status(1000, 0) == "succeeded");
    CHECK(refund_status(1000, 1) == "partially_refunded");
    CHECK(refund_status(1000, 1000) == "refunded");
}

TEST_CASE("concurrent refunds never exceed the payment") {
    World w;
    w.add_order("ord_1", 1000);
    std::string id = w.pay("ord_1", "4242424242424242", "k1")["id"];
    std::atomic<int> ok{0};
    std::vector<std::thread> th;
    for (int i = 0; i < 8; ++i)
        th.emplace_back([&] {
            try {
                if (core::to_response(w.svc().refund(std::nullopt, id, 300)).status == 201) ++ok;
            } catch (const shop::Error&) {
            }
        });
    for (auto& t : th) t.join();
    CHECK(ok == 3);
    CHECK(w.svc().find(id)->amount_refunded == 900);
}

TEST_CASE("refund_order_in_full gives back what is left") {
    World w;
    w.add_order("ord_1", 1000);
    std::string id = w.pay("ord_1", "4242424242424242", "k1")["id"];
    w.svc().refund(std::nullopt, id, 250);
    CHECK(w.svc().refund_order_in_full("ord_1") == 750);
    // Asked again (a cancel finished after a crash), it is the same refund, not a new one.
    CHECK(w.svc().refund_order_in_full("ord_1") == 750);
    CHECK(w.svc().find(id)->amount_refunded == 1000);
    CHECK(w.t.db().read([&](db::Conn& c) {
        return c.query_one("SELECT count(*) FROM refunds WHERE payment_id = ?", id)->i64(0);
    }) == 2);
    w.add_order("ord_2", 10);
    CHECK(w.svc().refund_order_in_full("ord_2") == 0);
}

// Regression (issue 11, found by the crash-safety load test): a payment that succeeds for an
// order cancelled meanwhile was refunded without reserving the refund, so an admin refund
// racing it took the total refunded above the amount paid (548 paid, 884 refunded).
TEST_CASE("a payment settling on a cancelled order is refunded in full, exactly once") {
    World w;
    w.add_order("ord_1", 700);
    auto p = w.pay("ord_1", "4000000000003220", "k1");
    REQUIRE(p["status"] == "processing");
    std::string id = p["id"];
    w.t.db().write([](db::Tx& tx) { tx.exec("UPDATE fake_orders SET status = 'cancelled' WHERE id = 'ord_1'"); });
    std::string body = R"({"id":"evt_o","type":"payment.succeeded","data":{"payment_id":")" + id + R"("}})";
    std::int64_t now = core::now_ms() / 1000;
    w.svc().webhook("t=" + std::to_string(now) + ",v1=" + sign_webhook("whsec_test_0123456789abcdef0123456789", now, body), body);
    auto settled = w.svc().find(id);
    CHECK(settled->status == "refunded");
    CHECK(settled->amount_refunded == 700);
    CHECK(w.order_status("ord_1") == "cancelled");
    // Nothing is left for anyone else to refund.
    CHECK(w.code_of([&] { w.svc().refund(std::nullopt, id, 1); }) == "refund_exceeds_payment");
    CHECK(w.svc().refund_order_in_full("ord_1") == 0);
    auto refunded = w.t.db().read([&](db::Conn& c) {
        return c.query("SELECT coalesce(sum(amount), 0), count(*) FROM refunds WHERE payment_id = ?", id).front();
    });
    CHECK(refunded.i64(0) == 700);
    CHECK(refunded.i64(1) == 1);
}

TEST_CASE("a payment whose request died at the provider is finished by its retry, once") {
    World w;
    w.add_order("ord_1", 700);
    // What a replica killed between charging and recording leaves behind: the key claimed
    // (still in progress) and the payment processing.
    core::IdempotencyKey key{w.alice.user_id, "k1", "fp-ord_14242424242424242"};
    w.t.db().write([&](db::Tx& tx) {
        REQUIRE_FALSE(w.idem.claim(tx, key));
        Payment p;
        p.id = "pay_in_doubt";
        p.order_id = "ord_1";
        p.user_id = w.alice.user_id;
        p.amount = 700;
        p.currency = "USD";
        p.status = "processing";
        p.card_brand = "visa";
        p.card_last4 = "4242";
        p.created_at_ms = p.updated_at_ms = core::now_ms();
        PaymentRepository().insert(tx, p);
    });
    // The client retries with the same key and body: the same payment is charged (the
    // provider dedupes on its id) and recorded, instead of a wait for an answer that will
    // never come.
    auto p = w.pay("ord_1", "4242424242424242", "k1");
    CHECK(p["id"] == "pay_in_doubt");
    CHECK(p["status"] == "succeeded");
    CHECK(w.order_status("ord_1") == "paid");
    CHECK(w.pay("ord_1", "4242424242424242", "k1")["id"] == "pay_in_doubt");  // now a replay
    auto succeeded = w.t.db().read([&](db::Conn& c) {
        return c.query("SELECT count(*) FROM events WHERE type = 'payment.succeeded'").front().i64(0);
    });
    CHECK(succeeded == 1);
    // Another user's retry with a key of the same name finds nothing of theirs to finish.
    CHECK(w.code_of([&] {
        Card c;
        c.number = "4242424242424242";
        c.exp_month = 12;
        c.exp_year = 2030;
        c.cvc = "123";
        w.svc().pay("usr_b", {"usr_b", "k1", "fp-other"}, "ord_1", c);
    }) == "not_found");
}

TEST_CASE("the payments section: provider and webhook secret, and an unknown provider stops start-up") {
    const std::string secret(32, 'w');
    core::Settings s(std::nullopt, "test", {{"SHOPD_WEBHOOK_SECRET", secret}}, {});
    PaymentSettings p = read_payment_settings(s);
    CHECK(p.provider == "sandbox");
    CHECK(p.webhook_secret == secret);
    // A short HMAC key, or the deployment files' placeholder, stops start-up.
    core::Settings short_secret(std::nullopt, "test", {{"SHOPD_WEBHOOK_SECRET", std::string(31, 'w')}}, {});
    CHECK_THROWS_AS(read_payment_settings(short_secret), core::ConfigError);
    core::Settings placeholder(std::nullopt, "test", {{"SHOPD_WEBHOOK_SECRET", "replace-me-webhook-secret"}}, {});
    CHECK_THROWS_AS(read_payment_settings(placeholder), core::ConfigError);
    test::TestDb t;
    CHECK(make_provider(p, t.db()) != nullptr);
    p.provider = "stripe";
    CHECK_THROWS_AS(make_provider(p, t.db()), core::ConfigError);
    core::Settings bad(std::nullopt, "test", {{"SHOPD_PAYMENT_PROVIDER", ""}}, {});
    CHECK_THROWS_AS(read_payment_settings(bad), core::ConfigError);
}

// --- refunds for returns (section 11): once per return, whatever dies in between ----------

namespace {
// Thrown by KeyedProvider after it did its work: nothing in PaymentService catches it, so
// nothing after the provider's answer runs, as when the process dies right there.
struct Crash {};

// A provider that dedupes as real ones do (a charge per payment id, a refund per key) and
// answers retrieve_* from what it did.
struct KeyedProvider : PaymentProvider {
    std::map<std::string, ChargeResult> charges;  // payment id -> outcome
    std::map<std::string, std::string> by_key;    // idempotency key -> reference
    int refunds = 0;                              // payouts actually made
    int calls = 0;
    bool refuse = false;
    bool crash = false;  // throw Crash after charging or refunding
    ChargeResult::Status next = ChargeResult::Status::Succeeded;
    std::string_view name() const override { return "keyed"; }
    ChargeResult charge(const ChargeRequest& req) override {
        std::lock_guard lock(mutex);
        auto it = charges.try_emplace(req.payment_id, ChargeResult{next, "", "ch_" + req.payment_id}).first;
        if (crash) throw Crash{};
        return it->second;
    }
    std::mutex mutex;  // concurrent calls reach it from several threads
    RefundResult refund(std::string_view, std::int64_t, std::string_view, std::string_view key) override {
        std::lock_guard lock(mutex);
        ++calls;
        if (refuse) return {false, "refused", ""};
        auto [it, fresh] = by_key.try_emplace(std::string(key), "rf_" + std::to_string(by_key.size() + 1));
        if (fresh) ++refunds;
        if (crash) throw Crash{};
        return {true, "", it->second};
    }
    std::optional<ChargeResult> retrieve_charge(std::string_view payment_id) override {
        std::lock_guard lock(mutex);
        auto it = charges.find(std::string(payment_id));
        if (it == charges.end()) return std::nullopt;
        return it->second;
    }
    std::optional<RefundResult> retrieve_refund(std::string_view key) override {
        std::lock_guard lock(mutex);
        auto it = by_key.find(std::string(key));
        if (it == by_key.end()) return std::nullopt;
        return RefundResult{true, "", it->second};
    }
    WebhookEvent parse_webhook(std::string_view, std::string_view, std::int64_t) const override { return {}; }
};

struct KeyedWorld : World {
    KeyedProvider* provider = nullptr;
    std::unique_ptr<PaymentService> keyed;
    KeyedWorld() {
        auto p = std::make_unique<KeyedProvider>();
        provider = p.get();
        // Reconciles anything older than now, so a test need not wait.
        keyed = std::make_unique<PaymentService>(rt, orders, std::move(p),
                                                 PaymentService::Options{std::chrono::seconds(0), ""});
    }
    std::string paid(const std::string& order, std::int64_t total) {
        add_order(order, total);
        Card c;
        c.number = "4242424242424242";
        c.exp_month = 12;
        c.exp_year = 2030;
        c.cvc = "123";
        auto r = core::to_response(keyed->pay(alice.user_id, {alice.user_id, "k-" + order, "fp-" + order}, order, c));
        return nlohmann::json::parse(r.body)["id"];
    }
    std::pair<std::int64_t, std::int64_t> refunds_of(const std::string& payment_id) {
        return t.db().read([&](db::Conn& c) {
            auto r = c.query_one("SELECT coalesce(sum(amount), 0), count(*) FROM refunds WHERE payment_id = ?", payment_id);
            return std::make_pair(r->i64(0), r->i64(1));
        });
    }
    std::int64_t refunded_events() {
        return t.db().read([&](db::Conn& c) {
            return c.query_one("SELECT count(*) FROM events WHERE type = 'payment.refunded'")->i64(0);
        });
    }
};
}  // namespace

TEST_CASE("refund_for_return refunds once per return; a second call returns the first refund") {
    KeyedWorld w;
    std::string id = w.paid("ord_1", 1000);
    CHECK(w.keyed->refund_for_return("ord_1", "ret_a", 300) == 300);
    CHECK(w.keyed->refund_for_return("ord_1", "ret_a", 300) == 300);
    CHECK(w.keyed->refund_for_return("ord_1", "ret_b", 200) == 200);
    CHECK(w.provider->calls == 2);
    CHECK(w.provider->by_key.count("return:ret_a") == 1);
    CHECK(w.keyed->find(id)->amount_refunded == 500);
    CHECK(w.keyed->find(id)->status == "partially_refunded");
    CHECK(w.refunds_of(id) == std::make_pair<std::int64_t, std::int64_t>(500, 2));
    CHECK(w.refunded_events() == 2);
    // 0 refunds nothing and asks no one.
    CHECK(w.keyed->refund_for_return("ord_1", "ret_c", 0) == 0);
    CHECK(w.provider->calls == 2);
    // Never more than is left; an order without a captured payment has nothing to refund.
    CHECK(w.code_of([&] { w.keyed->refund_for_return("ord_1", "ret_d", 501); }) == "refund_exceeds_payment");
    w.add_order("ord_unpaid", 100);
    CHECK(w.code_of([&] { w.keyed->refund_for_return("ord_unpaid", "ret_e", 10); }) == "payment_not_refundable");
    CHECK(w.keyed->find(id)->amount_refunded == 500);
}

TEST_CASE("refund_for_return after a crash between the provider's answer and the record: one payout, one row") {
    KeyedWorld w;
    std::string id = w.paid("ord_1", 1000);
    // What a process killed after the provider refunded, before recording, leaves: the
    // claim with its reservation committed, and the provider's refund made under the key.
    w.t.db().write([&](db::Tx& tx) {
        PaymentRepository repo;
        REQUIRE(repo.reserve_refund(tx, id, 400, core::now_ms()));
        REQUIRE(repo.claim_refund_key(tx, "return:ret_a", id, 400, core::now_ms()));
    });
    w.provider->by_key["return:ret_a"] = "rf_before_crash";
    w.provider->refunds = 1;
    CHECK(w.keyed->find(id)->amount_refunded == 400);
    CHECK(w.refunds_of(id).second == 0);  // in doubt: reserved, not recorded

    // The retry finishes it: the provider is asked again under the same key and answers
    // with the same refund; nothing more is reserved or paid out.
    CHECK(w.keyed->refund_for_return("ord_1", "ret_a", 400) == 400);
    CHECK(w.provider->refunds == 1);
    CHECK(w.keyed->find(id)->amount_refunded == 400);
    CHECK(w.refunds_of(id) == std::make_pair<std::int64_t, std::int64_t>(400, 1));
    auto ref = w.t.db().read([&](db::Conn& c) {
        return c.query_one("SELECT provider_ref FROM refunds WHERE payment_id = ?", id)->str(0);
    });
    CHECK(ref == "rf_before_crash");
    // And again: recorded now, so nobody is asked.
    CHECK(w.keyed->refund_for_return("ord_1", "ret_a", 400) == 400);
    CHECK(w.provider->calls == 1);
    CHECK(w.refunded_events() == 1);
}

TEST_CASE("refund_for_return: concurrent calls for one return pay out once") {
    KeyedWorld w;
    std::string id = w.paid("ord_1", 1000);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&] {
            try {
                if (w.keyed->refund_for_return("ord_1", "ret_a", 250) == 250) ++ok;
            } catch (const Error& e) {
                CHECK(e.code() == "idempotency_in_progress");
            }
        });
    for (auto& t : threads) t.join();
    CHECK(ok >= 1);
    CHECK(w.provider->refunds == 1);
    CHECK(w.keyed->find(id)->amount_refunded == 250);
    CHECK(w.refunds_of(id) == std::make_pair<std::int64_t, std::int64_t>(250, 1));
    CHECK(w.refunded_events() == 1);
}

TEST_CASE("refund_for_return: a refusal drops the claim and its reservation; a later call may try again") {
    KeyedWorld w;
    std::string id = w.paid("ord_1", 1000);
    w.provider->refuse = true;
    CHECK(w.code_of([&] { w.keyed->refund_for_return("ord_1", "ret_a", 300); }) == "provider_error");
    CHECK(w.keyed->find(id)->amount_refunded == 0);
    CHECK(w.keyed->find(id)->status == "succeeded");
    w.provider->refuse = false;
    CHECK(w.keyed->refund_for_return("ord_1", "ret_a", 300) == 300);
    CHECK(w.keyed->find(id)->amount_refunded == 300);
    CHECK(w.refunds_of(id).second == 1);
}

TEST_CASE("the sandbox answers a keyed refund with the same reference every time") {
    World w;
    SandboxProvider sandbox("", w.t.db());
    auto a = sandbox.refund("ch_1", 100, "USD", "return:ret_1");
    auto b = sandbox.refund("ch_1", 100, "USD", "return:ret_1");
    auto c = sandbox.refund("ch_1", 100, "USD", "return:ret_2");
    CHECK(a.ok);
    CHECK(a.reference == b.reference);
    CHECK(a.reference != c.reference);
    CHECK(sandbox.refund("ch_1", 100, "USD", "").reference != sandbox.refund("ch_1", 100, "USD", "").reference);
}

TEST_CASE("sandbox test cards, and the sandbox answers a charge asked again with its first outcome") {
    World w;
    SandboxProvider p("", w.t.db());
    int n = 0;
    auto charge = [&](std::string number, std::string id = "") {
        ChargeRequest r;
        r.payment_id = id.empty() ? "pay_" + std::to_string(++n) : id;
        r.amount = 100;
        r.card.number = std::move(number);
        return p.charge(r);
    };
    CHECK(charge("4242424242424242").status == ChargeResult::Status::Succeeded);
    CHECK(charge("4000000000000002").failure_code == "card_declined");
    CHECK(charge("4000000000009995").failure_code == "insufficient_funds");
    CHECK(charge("4000000000003220").status == ChargeResult::Status::Processing);
    // Idempotent per payment id, and remembered: retrieve answers what it did.
    CHECK(charge("4000000000000002", "pay_1").status == ChargeResult::Status::Succeeded);
    CHECK(p.retrieve_charge("pay_2")->failure_code == "card_declined");
    CHECK_FALSE(p.retrieve_charge("pay_never"));
    auto made = p.refund("ch", 50, "USD", "refund:rq_1");
    CHECK(p.retrieve_refund("refund:rq_1")->reference == made.reference);
    CHECK_FALSE(p.retrieve_refund("refund:rq_2"));
}

// --- reconciliation: what a crash between the provider's answer and the record left -------

namespace {
Card good_card() {
    Card c;
    c.number = "4242424242424242";
    c.exp_month = 12;
    c.exp_year = 2030;
    c.cvc = "123";
    return c;
}

std::string payment_of(KeyedWorld& w, const std::string& order) {
    return w.t.db().read([&](db::Conn& c) {
        return c.query_one("SELECT id FROM payments WHERE order_id = ?", order)->str(0);
    });
}

std::int64_t events_of(KeyedWorld& w, const std::string& type) {
    return w.t.db().read([&](db::Conn& c) {
        return c.query_one("SELECT count(*) FROM events WHERE type = ?", type)->i64(0);
    });
}

// settle_after is 0: anything older than this millisecond is due.
void reconcile_later(KeyedWorld& w) {
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    w.keyed->reconcile();
}
}  // namespace

TEST_CASE("reconcile records a charge the provider made before the process died") {
    KeyedWorld w;
    w.add_order("ord_1", 1200);
    w.provider->crash = true;
    CHECK_THROWS_AS(w.keyed->pay(w.alice.user_id, {w.alice.user_id, "k1", "fp"}, "ord_1", good_card()), Crash);
    w.provider->crash = false;
    std::string id = payment_of(w, "ord_1");
    CHECK(w.keyed->find(id)->status == "processing");
    CHECK(w.order_status("ord_1") == "pending_payment");

    reconcile_later(w);
    CHECK(w.keyed->find(id)->status == "succeeded");
    CHECK(w.order_status("ord_1") == "paid");
    CHECK(events_of(w, "payment.succeeded") == 1);
    // Settled: the next round has nothing to do, and the key's retry answers the payment.
    reconcile_later(w);
    CHECK(events_of(w, "payment.succeeded") == 1);
    auto again = w.keyed->pay(w.alice.user_id, {w.alice.user_id, "k1", "fp"}, "ord_1", good_card());
    CHECK(again.body["id"] == id);
    CHECK(again.body["status"] == "succeeded");
    CHECK(w.provider->charges.size() == 1);
}

TEST_CASE("reconcile fails a payment the provider never saw; the order can be paid again") {
    KeyedWorld w;
    w.add_order("ord_1", 1200);
    // The process died after recording the payment and before asking the provider.
    w.t.db().write([&](db::Tx& tx) {
        tx.exec("INSERT INTO payments(id, order_id, user_id, amount, currency, status, card_brand, card_last4, "
                "provider_ref, created_at, updated_at) VALUES ('pay_lost', 'ord_1', 'usr_a', 1200, 'USD', "
                "'processing', 'visa', '4242', '', 1, 1)");
    });
    reconcile_later(w);
    auto p = w.keyed->find("pay_lost");
    CHECK(p->status == "failed");
    CHECK(p->failure_code == "payment_abandoned");
    CHECK(w.order_status("ord_1") == "pending_payment");
    CHECK(events_of(w, "payment.failed") == 1);
    auto paid = w.keyed->pay(w.alice.user_id, {w.alice.user_id, "k2", "fp2"}, "ord_1", good_card());
    CHECK(paid.body["status"] == "succeeded");
}

TEST_CASE("reconcile leaves a payment the provider still processes") {
    KeyedWorld w;
    w.add_order("ord_1", 1200);
    w.provider->next = ChargeResult::Status::Processing;
    auto r = w.keyed->pay(w.alice.user_id, {w.alice.user_id, "k1", "fp"}, "ord_1", good_card());
    CHECK(r.body["status"] == "processing");
    reconcile_later(w);
    CHECK(w.keyed->find(r.body["id"].get<std::string>())->status == "processing");
    w.provider->charges.begin()->second.status = ChargeResult::Status::Failed;
    w.provider->charges.begin()->second.failure_code = "card_declined";
    reconcile_later(w);
    CHECK(w.keyed->find(r.body["id"].get<std::string>())->status == "failed");
    CHECK(w.keyed->find(r.body["id"].get<std::string>())->failure_code == "card_declined");
}

TEST_CASE("reconcile records a refund the provider made before the process died, once") {
    KeyedWorld w;
    std::string id = w.paid("ord_1", 1000);
    w.provider->crash = true;
    CHECK_THROWS_AS(w.keyed->refund(std::nullopt, id, 400), Crash);
    w.provider->crash = false;
    CHECK(w.keyed->find(id)->amount_refunded == 400);  // reserved
    CHECK(w.refunds_of(id).second == 0);                // but not recorded
    reconcile_later(w);
    CHECK(w.refunds_of(id) == std::make_pair<std::int64_t, std::int64_t>(400, 1));
    CHECK(w.refunded_events() == 1);
    CHECK(w.provider->refunds == 1);
    reconcile_later(w);
    CHECK(w.refunded_events() == 1);
    CHECK(w.provider->refunds == 1);
}

TEST_CASE("reconcile makes a claimed refund the provider never got, under its key") {
    KeyedWorld w;
    std::string id = w.paid("ord_1", 1000);
    // The process died between the claim and the provider call.
    w.t.db().write([&](db::Tx& tx) {
        tx.exec("UPDATE payments SET amount_refunded = 1000, status = 'refunded' WHERE id = ?", id);
        tx.exec("INSERT INTO refund_keys(idempotency_key, payment_id, amount, created_at) VALUES ('cancel:ord_1', ?, "
                "1000, 1)",
                id);
    });
    w.provider->refuse = true;  // a provider that refuses keeps the claim for the next round
    reconcile_later(w);
    CHECK(w.refunds_of(id).second == 0);
    CHECK(w.keyed->find(id)->amount_refunded == 1000);
    w.provider->refuse = false;
    reconcile_later(w);
    CHECK(w.refunds_of(id) == std::make_pair<std::int64_t, std::int64_t>(1000, 1));
    CHECK(w.provider->by_key.count("cancel:ord_1") == 1);
    // The cancel asked again finds its refund made: nothing more.
    CHECK(w.keyed->refund_order_in_full("ord_1") == 1000);
    CHECK(w.provider->refunds == 1);
    CHECK(w.refunded_events() == 1);
}

TEST_CASE("a cancel's refund is claimed under the order: asked twice, refunded once") {
    KeyedWorld w;
    std::string id = w.paid("ord_1", 1000);
    w.provider->crash = true;
    CHECK_THROWS_AS(w.keyed->refund_order_in_full("ord_1"), Crash);
    w.provider->crash = false;
    CHECK(w.keyed->refund_order_in_full("ord_1") == 1000);
    CHECK(w.keyed->refund_order_in_full("ord_1") == 1000);
    CHECK(w.provider->refunds == 1);
    CHECK(w.refunds_of(id) == std::make_pair<std::int64_t, std::int64_t>(1000, 1));
}
