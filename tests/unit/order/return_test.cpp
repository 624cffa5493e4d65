// Returns (API.md section 11): the state table, exhaustively; the refund arithmetic with its
// remainder rule; the return window; and the service on a real database, with the payment
// module's refund-for-return stood in by a fake that keeps what it refunded per return.
#include <catch2/catch.hpp>

#include <map>

#include "fakes.hpp"
#include "order/order_module.hpp"
#include "order/return_refund.hpp"
#include "order/return_state.hpp"
#include "problem.hpp"
#include "shop/core/error.hpp"
#include "shop/core/time.hpp"

using namespace shop;
using order::ReturnAction;
using order::ReturnStatus;

// --- the state table -----------------------------------------------------------------------

TEST_CASE("returns: every state x every action is in the table or refused") {
    const ReturnStatus states[] = {ReturnStatus::Requested, ReturnStatus::Received, ReturnStatus::Rejected};
    const ReturnAction actions[] = {ReturnAction::Receive, ReturnAction::Reject};
    // The whole table, written out: (state, action) -> next state or refused.
    const std::map<std::pair<ReturnStatus, ReturnAction>, std::optional<ReturnStatus>> expected{
        {{ReturnStatus::Requested, ReturnAction::Receive}, ReturnStatus::Received},
        {{ReturnStatus::Requested, ReturnAction::Reject}, ReturnStatus::Rejected},
        {{ReturnStatus::Received, ReturnAction::Receive}, std::nullopt},
        {{ReturnStatus::Received, ReturnAction::Reject}, std::nullopt},
        {{ReturnStatus::Rejected, ReturnAction::Receive}, std::nullopt},
        {{ReturnStatus::Rejected, ReturnAction::Reject}, std::nullopt},
    };
    int checked = 0;
    for (ReturnStatus s : states)
        for (ReturnAction a : actions) {
            INFO(order::to_string(s) << " x " << order::to_string(a));
            CHECK(order::next_return_status(s, a) == expected.at({s, a}));
            ++checked;
        }
    CHECK(checked == static_cast<int>(expected.size()));
}

TEST_CASE("returns: status and action names round-trip") {
    for (auto name : {"requested", "received", "rejected"})
        CHECK(order::to_string(*order::return_status_from_string(name)) == name);
    CHECK_FALSE(order::return_status_from_string("receiving"));
    CHECK_FALSE(order::return_status_from_string(""));
    CHECK(order::to_string(ReturnAction::Receive) == "receive");
    CHECK(order::to_string(ReturnAction::Reject) == "reject");
}

// --- refund arithmetic ---------------------------------------------------------------------

TEST_CASE("returns: a line's paid amount is after its discount, with its tax when added on top") {
    order::OrderItem line;
    line.line_total = 3000;
    line.discount = 300;
    line.tax = 513;
    CHECK(order::line_paid(line, true) == 3213);
    CHECK(order::line_paid(line, false) == 2700);  // prices hold the tax: inside already

    // The order's own totals say which: 2999 - 300 + 500 + 608 = 3807 is tax on top.
    order::Order o;
    o.subtotal = 2999;
    o.discount_total = 300;
    o.shipping_total = 500;
    o.tax_total = 608;
    o.total = 3807;
    CHECK(order::tax_added_on_top(o));
    o.tax_total = 511;
    o.total = 3199;  // prices holding their tax (docs/orders.md's worked example)
    CHECK_FALSE(order::tax_added_on_top(o));
    o.tax_total = 0;
    o.total = 3199;
    CHECK_FALSE(order::tax_added_on_top(o));
}

TEST_CASE("returns: k of n units refund floor(paid * k / n); the units completing the line get the rest") {
    using order::LineReturned;
    // 1000 for 3 units: 333 each, the last 334.
    CHECK(order::units_refund(1000, 3, {}, 1) == 333);
    CHECK(order::units_refund(1000, 3, {1, 333}, 1) == 333);
    CHECK(order::units_refund(1000, 3, {2, 666}, 1) == 334);
    CHECK(order::units_refund(1000, 3, {}, 2) == 666);
    CHECK(order::units_refund(1000, 3, {2, 666}, 1) == 334);
    CHECK(order::units_refund(1000, 3, {1, 333}, 2) == 667);
    CHECK(order::units_refund(1000, 3, {}, 3) == 1000);
    // 10 for 4 units, one at a time: 2, 2, 2, then the remaining 4.
    LineReturned before;
    std::int64_t sum = 0;
    for (int i = 0; i < 4; ++i) {
        std::int64_t r = order::units_refund(10, 4, before, 1);
        CHECK(r == (i < 3 ? 2 : 4));
        before.units += 1;
        before.amount += r;
        sum += r;
    }
    CHECK(sum == 10);
    // A free line refunds nothing.
    CHECK(order::units_refund(0, 5, {}, 5) == 0);
    // Every way of splitting a line into returns adds up to exactly what it was paid.
    for (std::int64_t paid : {1, 7, 999, 1001, 123457}) {
        for (std::int64_t n = 1; n <= 7; ++n) {
            for (std::int64_t step = 1; step <= n; ++step) {
                LineReturned b;
                while (b.units < n) {
                    std::int64_t k = std::min(step, n - b.units);
                    std::int64_t r = order::units_refund(paid, n, b, k);
                    CHECK(r >= 0);
                    b.units += k;
                    b.amount += r;
                }
                CHECK(b.amount == paid);
            }
        }
    }
    // Out of range: more than is left, or nothing.
    CHECK_THROWS_AS(order::units_refund(1000, 3, {2, 666}, 2), std::invalid_argument);
    CHECK_THROWS_AS(order::units_refund(1000, 3, {}, 0), std::invalid_argument);
}

TEST_CASE("returns: the arithmetic is 128-bit: no overflow at the edges of 64 bits") {
    const std::int64_t big = INT64_MAX - 5;  // 9223372036854775802
    // big * 999 overflows 64 bits; floor(big * 999 / 1000) does not.
    const std::int64_t first = order::units_refund(big, 1000, {}, 999);
    CHECK(first == 9214148664817921026LL);
    CHECK(order::units_refund(big, 1000, {999, first}, 1) == 9223372036854776LL);
    order::OrderItem line;
    line.line_total = INT64_MAX;
    line.discount = 0;
    line.tax = INT64_MAX;
    CHECK(order::line_paid(line, true) == INT64_MAX);  // clamped, never wrapped
}

// --- the service ---------------------------------------------------------------------------

namespace {
// The payment module's refund for a return, as its contract says: once per return id.
struct FakePayments : api::Payments {
    std::map<std::string, std::int64_t> refunded;  // return id -> amount
    int provider_calls = 0;
    std::function<void()> during;  // runs while "the provider" works
    bool refuse = false;
    std::int64_t refund_order_in_full(std::string_view) override { return 0; }
    std::int64_t refund_for_return(std::string_view, std::string_view return_id, std::int64_t amount) override {
        auto it = refunded.find(std::string(return_id));
        if (it != refunded.end()) return it->second;
        ++provider_calls;
        if (during) during();
        if (refuse) throw Error("provider_error", "refused");
        refunded[std::string(return_id)] = amount;
        return amount;
    }
    std::chrono::seconds settle_after() const override { return std::chrono::seconds(120); }
    std::int64_t total() const {
        std::int64_t t = 0;
        for (const auto& [id, a] : refunded) t += a;
        return t;
    }
};

struct World {
    test::TestDb t{test::fake_stock_migration()};
    test::NoScheduler sched;
    core::Idempotency idem{t.db()};
    Interfaces ifs;
    Runtime rt{t.config(), t.db(), t.bus(), t.metrics(), sched, idem, ifs};
    test::FakeCatalog catalog;
    test::FakeInventory inventory;
    test::FakeUsers users;
    FakePayments payments;
    bool ready;
    order::OrderModule module{rt};
    order::ReturnService returns{rt, inventory, later(), module.orders().settings().return_window_days};

    explicit World(const core::Overrides& settings = {}) : ready(prepare(settings)) {
        db::Migrator m;
        module.migrations(m);
        t.db().migrate(m.migrations());
        catalog.add("p1", 1000);
        catalog.add("p2", 250);
        inventory.set(t.db(), "p1", 50);
        inventory.set(t.db(), "p2", 50);
        ifs.offer<api::Payments>("test", payments);
        ifs.seal();
    }
    bool prepare(const core::Overrides& settings) {
        for (const auto& [path, text] : settings) t.config().settings->set(path, text);
        ifs.offer<api::Catalog>("test", catalog);
        ifs.offer<api::Inventory>("test", inventory);
        ifs.offer<api::Users>("test", users);
        return true;
    }
    Later<api::Payments> later() { return ifs.need_later<api::Payments>("test"); }
    order::OrderService& orders() { return module.orders(); }

    // A delivered order of `lines`; `discount` and `tax` per line written as checkout
    // pricing would have (tax on top: the total carries it).
    order::Order delivered(std::vector<api::StockLine> lines, std::vector<std::pair<std::int64_t, std::int64_t>> priced = {}) {
        order::OrderRequest req;
        for (const auto& l : lines) req.items.push_back({l.variant_id, l.quantity, std::nullopt, false});
        req.shipping_address = nlohmann::json{{"name", "Ada"}};
        auto o = t.db().write([&](db::Tx& tx) { return orders().create(tx, "usr_1", req); });
        if (!priced.empty()) {
            std::int64_t discount = 0, tax = 0;
            t.db().write([&](db::Tx& tx) {
                discount = tax = 0;
                for (std::size_t i = 0; i < priced.size(); ++i) {
                    tx.exec("UPDATE order_items SET discount = ?, tax = ? WHERE order_id = ? AND line = ?",
                            priced[i].first, priced[i].second, o.id, static_cast<std::int64_t>(i));
                    discount += priced[i].first;
                    tax += priced[i].second;
                }
                tx.exec("UPDATE orders SET discount_total = ?, tax_total = ?, shipping_total = 500, "
                        "total = subtotal - ? + 500 + ? WHERE id = ?",
                        discount, tax, discount, tax, o.id);
            });
        }
        t.db().write([&](db::Tx& tx) { return orders().mark_paid(tx, o.id, "pay_" + o.id); });
        orders().advance(o.id, order::Action::Ship);
        return orders().advance(o.id, order::Action::Deliver);
    }
    order::OrderReturn ask(const order::Order& o, std::vector<order::ReturnLineRequest> items) {
        order::ReturnRequest req{std::move(items), "does not fit"};
        auto fresh = *orders().find(o.id);
        return t.db().write([&](db::Tx& tx) { return returns.request(tx, fresh, req); });
    }
    std::int64_t stock(const std::string& id) {
        return t.db().read([&](db::Conn& c) { return inventory.available(c, id); });
    }
    std::int64_t events(const std::string& type) {
        return t.db().read([&](db::Conn& c) {
            return c.query_one("SELECT count(*) FROM events WHERE type = ?", type)->i64(0);
        });
    }
    void delivered_days_ago(const std::string& order_id, double days) {
        auto at = core::now_ms() - static_cast<std::int64_t>(days * 86'400'000);
        t.db().write([&](db::Tx& tx) { tx.exec("UPDATE orders SET delivered_at = ? WHERE id = ?", at, order_id); });
    }
};

std::string code_of(const std::function<void()>& fn) { return test::code_of(fn); }

// The field names of a 422's errors.
std::vector<std::string> fields_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        std::vector<std::string> out;
        for (const auto& f : e.errors()) out.push_back(f.field);
        return out;
    }
    return {};
}
}  // namespace

TEST_CASE("returns: delivery records delivered_at; a partial return refunds its share, the rest the remainder") {
    World w;
    // p1: 3 x 1000 = 3000, 300 off, 513 tax on top: paid 3213. p2: 2 x 250, no discount, 50 tax: 550.
    auto o = w.delivered({{"p1", 3}, {"p2", 2}}, {{300, 513}, {0, 50}});
    auto at = w.t.db().read([&](db::Conn& c) {
        return c.query_one("SELECT delivered_at, updated_at FROM orders WHERE id = ?", o.id);
    });
    REQUIRE_FALSE(at->is_null(0));
    CHECK(at->i64(0) == at->i64(1));

    auto r1 = w.ask(o, {{"p1", 1}, {"p2", 1}});
    CHECK(r1.status == ReturnStatus::Requested);
    CHECK(r1.id.rfind("ret_", 0) == 0);
    REQUIRE(r1.items.size() == 2);
    CHECK(r1.items[0].refund_amount == 3213 / 3);  // 1071
    CHECK(r1.items[1].refund_amount == 275);
    CHECK(r1.refund_amount == 1071 + 275);
    CHECK(r1.currency == "USD");
    CHECK(w.events("return.requested") == 1);

    auto r2 = w.ask(o, {{"p1", 2}, {"p2", 1}});
    CHECK(r2.items[0].refund_amount == 3213 - 1071);
    CHECK(r2.items[1].refund_amount == 550 - 275);
    // Whole lines returned: exactly what was paid for them, shipping (500) never.
    CHECK(r1.refund_amount + r2.refund_amount == 3213 + 550);
    CHECK(w.orders().find(o.id)->total == 3213 + 550 + 500);
}

TEST_CASE("returns: more than was delivered, less what returns hold, is 422 naming items[i].quantity") {
    World w;
    auto o = w.delivered({{"p1", 2}, {"p2", 1}});
    CHECK(fields_of([&] { w.ask(o, {{"p2", 1}, {"p1", 3}}); }) == std::vector<std::string>{"items[1].quantity"});
    CHECK(fields_of([&] { w.ask(o, {{"nope", 1}}); }) == std::vector<std::string>{"items[0].variant_id"});
    auto r = w.ask(o, {{"p1", 2}});
    CHECK(fields_of([&] { w.ask(o, {{"p1", 1}}); }) == std::vector<std::string>{"items[0].quantity"});
    // Nothing was written by the refused ones.
    auto n = w.t.db().read([](db::Conn& c) { return c.query_one("SELECT count(*) FROM returns")->i64(0); });
    CHECK(n == 1);
    // A rejected return gives its units back to be returned again.
    w.returns.reject(r.id);
    CHECK(w.events("return.rejected") == 1);
    auto again = w.ask(o, {{"p1", 2}});
    CHECK(again.refund_amount == 2000);
}

TEST_CASE("returns: only a delivered order, and only within the window") {
    World w;
    auto o = w.delivered({{"p1", 1}});
    // Not delivered (yet): 409 invalid_transition.
    order::OrderRequest req;
    req.items.push_back({"p1", 1, std::nullopt, false});
    req.shipping_address = nlohmann::json{{"name", "Ada"}};
    auto pending = w.t.db().write([&](db::Tx& tx) { return w.orders().create(tx, "usr_1", req); });
    CHECK(code_of([&] { w.ask(pending, {{"p1", 1}}); }) == "invalid_transition");
    w.t.db().write([&](db::Tx& tx) { w.orders().mark_paid(tx, pending.id, "pay_x"); });
    w.orders().advance(pending.id, order::Action::Ship);
    CHECK(code_of([&] { w.ask(pending, {{"p1", 1}}); }) == "invalid_transition");

    // The default window is 30 days from delivery.
    w.delivered_days_ago(o.id, 29.9);
    CHECK(w.ask(o, {{"p1", 1}}).status == ReturnStatus::Requested);
    auto o2 = w.delivered({{"p1", 1}});
    w.delivered_days_ago(o2.id, 30.01);
    try {
        w.ask(o2, {{"p1", 1}});
        FAIL("a return past the window");
    } catch (const Error& e) {
        CHECK(e.code() == "return_window_closed");
        CHECK(test::status_of(e) == 409);
        CHECK(e.extra()["return_window_days"] == 30);
    }
    // An order delivered before delivered_at was recorded counts from its last change.
    auto o3 = w.delivered({{"p2", 1}});
    auto old = core::now_ms() - 40LL * 86'400'000;
    w.t.db().write([&](db::Tx& tx) {
        tx.exec("UPDATE orders SET delivered_at = NULL, updated_at = ? WHERE id = ?", old, o3.id);
    });
    CHECK(code_of([&] { w.ask(o3, {{"p2", 1}}); }) == "return_window_closed");
}

TEST_CASE("returns: SHOPD_RETURN_WINDOW_DAYS=0 closes the window at delivery") {
    World w(core::Overrides{{"shop.return_window_days", "0"}});
    CHECK(w.orders().settings().return_window_days == 0);
    auto o = w.delivered({{"p1", 1}});
    CHECK(code_of([&] { w.ask(o, {{"p1", 1}}); }) == "return_window_closed");
}

TEST_CASE("returns: the window setting is checked at start-up") {
    core::Settings ok(std::nullopt, "test", {{"SHOPD_RETURN_WINDOW_DAYS", "14"}}, {});
    CHECK(order::read_order_settings(ok).return_window_days == 14);
    core::Settings none(std::nullopt, "test", {}, {});
    CHECK(order::read_order_settings(none).return_window_days == 30);
    core::Settings bad(std::nullopt, "test", {{"SHOPD_RETURN_WINDOW_DAYS", "-1"}}, {});
    CHECK_THROWS_AS(order::read_order_settings(bad), core::ConfigError);
}

TEST_CASE("returns: receive refunds once, restocks when asked; received again refunds nothing more") {
    World w;
    auto o = w.delivered({{"p1", 4}, {"p2", 2}});
    const auto stock_p1 = w.stock("p1");
    auto r = w.ask(o, {{"p1", 2}});
    auto got = w.returns.receive(r.id, true);
    CHECK(got.status == ReturnStatus::Received);
    CHECK(got.restocked == true);
    CHECK(got.received_at_ms);
    CHECK_FALSE(got.receiving);
    CHECK(w.stock("p1") == stock_p1 + 2);
    CHECK(w.payments.refunded.at(r.id) == 2000);
    CHECK(w.events("return.received") == 1);

    // Again: the same return, nothing refunded, nothing restocked, no second event.
    auto again = w.returns.receive(r.id, false);
    CHECK(again.status == ReturnStatus::Received);
    CHECK(again.restocked == true);
    CHECK(w.payments.provider_calls == 1);
    CHECK(w.stock("p1") == stock_p1 + 2);
    CHECK(w.events("return.received") == 1);
    CHECK(code_of([&] { w.returns.reject(r.id); }) == "invalid_transition");

    // Without restock: refunded, stock untouched.
    auto r2 = w.ask(o, {{"p2", 2}});
    auto got2 = w.returns.receive(r2.id, false);
    CHECK(got2.restocked == false);
    CHECK(w.stock("p2") == 48);
    CHECK(w.payments.total() == 2500);

    CHECK(code_of([&] { w.returns.receive("ret_nope", true); }) == "not_found");
}

TEST_CASE("returns: a rejected return cannot be received; a reject during a receive is refused") {
    World w;
    auto o = w.delivered({{"p1", 3}});
    auto r = w.ask(o, {{"p1", 1}});
    CHECK(w.returns.reject(r.id).status == ReturnStatus::Rejected);
    CHECK(code_of([&] { w.returns.receive(r.id, true); }) == "invalid_transition");
    CHECK(code_of([&] { w.returns.reject(r.id); }) == "invalid_transition");
    CHECK(w.payments.provider_calls == 0);

    // The race, driven: an admin's reject lands while the provider refunds.
    auto r2 = w.ask(o, {{"p1", 1}});
    std::string reject_outcome;
    w.payments.during = [&] { reject_outcome = code_of([&] { w.returns.reject(r2.id); }); };
    CHECK(w.returns.receive(r2.id, true).status == ReturnStatus::Received);
    CHECK(reject_outcome == "invalid_transition");

    // A provider that refuses leaves the return requested and unmarked: it can be rejected.
    auto r3 = w.ask(o, {{"p1", 1}});
    w.payments.during = nullptr;
    w.payments.refuse = true;
    CHECK(code_of([&] { w.returns.receive(r3.id, true); }) == "provider_error");
    auto still = *w.returns.find(r3.id);
    CHECK(still.status == ReturnStatus::Requested);
    CHECK_FALSE(still.receiving);
    CHECK(w.returns.reject(r3.id).status == ReturnStatus::Rejected);
}

TEST_CASE("returns: a receive cut short after the refund is finished by the next, with no second refund") {
    World w;
    auto o = w.delivered({{"p1", 2}});
    const auto stock_p1 = w.stock("p1");
    auto r = w.ask(o, {{"p1", 2}});
    // What a crash between the refund and the final transaction leaves: the mark, and the
    // payment module's record of the refund.
    w.t.db().write([&](db::Tx& tx) { tx.exec("UPDATE returns SET receive_started_at = 1 WHERE id = ?", r.id); });
    w.payments.refunded[r.id] = r.refund_amount;
    auto marked = *w.returns.find(r.id);
    CHECK(marked.receiving);
    CHECK(code_of([&] { w.returns.reject(r.id); }) == "invalid_transition");
    auto got = w.returns.receive(r.id, true);
    CHECK(got.status == ReturnStatus::Received);
    CHECK(w.payments.provider_calls == 0);
    CHECK(w.stock("p1") == stock_p1 + 2);
    CHECK(w.events("return.received") == 1);
}

TEST_CASE("returns: lists are newest first, by order and by status, cursor-paged") {
    World w;
    auto o = w.delivered({{"p1", 5}});
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(w.ask(o, {{"p1", 1}}).id);
    w.returns.reject(ids[1]);
    order::ReturnFilter all;
    auto page1 = w.returns.list(all, std::nullopt, 3);
    REQUIRE(page1.size() == 3);
    auto page2 = w.returns.list(all, order::ListKey{page1.back().created_at_ms, page1.back().id}, 3);
    CHECK(page1.size() + page2.size() == 5);
    order::ReturnFilter rejected;
    rejected.status = ReturnStatus::Rejected;
    auto r = w.returns.list(rejected, std::nullopt, 10);
    REQUIRE(r.size() == 1);
    CHECK(r[0].id == ids[1]);
    order::ReturnFilter mine;
    mine.order_id = o.id;
    CHECK(w.returns.list(mine, std::nullopt, 10).size() == 5);
    mine.order_id = "ord_other";
    CHECK(w.returns.list(mine, std::nullopt, 10).empty());
}
