#include <catch2/catch.hpp>

#include <thread>

#include "fakes.hpp"
#include "problem.hpp"
#include "order/order_module.hpp"
#include "shop/core/error.hpp"

using namespace shop;
using order::OrderRequest;

namespace {
struct World {
    test::TestDb t{test::fake_stock_migration()};
    test::NoScheduler sched;
    core::Idempotency idem{t.db()};
    Interfaces ifs;
    Runtime rt{t.config(), t.db(), t.bus(), t.metrics(), sched, idem, ifs};
    test::FakeCatalog catalog;
    test::FakeInventory inventory;
    test::FakeUsers users;
    // The module reads its settings and asks for its interfaces as it is built.
    bool ready;
    order::OrderModule module{rt};

    explicit World(const core::Overrides& settings = {}) : ready(prepare(settings)) {
        db::Migrator m;
        module.migrations(m);
        t.db().migrate(m.migrations());
        catalog.add("p1", 1250);
        catalog.add("p2", 99);
        catalog.add("gone", 500, "archived");
        inventory.set(t.db(), "p1", 5);
        inventory.set(t.db(), "p2", 100);
        inventory.set(t.db(), "gone", 100);
    }

    bool prepare(const core::Overrides& settings) {
        for (const auto& [path, text] : settings) t.config().settings->set(path, text);
        ifs.offer<api::Catalog>("test", catalog);
        ifs.offer<api::Inventory>("test", inventory);
        ifs.offer<api::Users>("test", users);
        return true;
    }
    order::OrderService& service() { return module.orders(); }

    order::Order create(std::vector<api::StockLine> items) {
        OrderRequest req;
        for (const auto& l : items) req.items.push_back({l.variant_id, l.quantity, std::nullopt, false});
        req.shipping_address = nlohmann::json{{"name", "Ada"}};
        return t.db().write([&](db::Tx& tx) { return service().create(tx, "usr_1", req); });
    }
    std::int64_t stock(const std::string& id) {
        return t.db().read([&](db::Conn& c) { return inventory.available(c, id); });
    }
    std::string code_of(const std::function<void()>& fn) { return test::code_of(fn); }
};
}  // namespace

TEST_CASE("an order copies prices, sums lines and reserves stock") {
    World w;
    auto o = w.create({{"p1", 2}, {"p2", 3}, {"p1", 1}});
    CHECK(o.status == order::Status::PendingPayment);
    REQUIRE(o.items.size() == 2);  // p1 named twice becomes one line
    CHECK(o.items[0].quantity == 3);
    CHECK(o.items[0].unit_price == 1250);
    CHECK(o.items[0].line_total == 3750);
    CHECK(o.items[1].line_total == 297);
    CHECK(o.total == 4047);
    CHECK(o.currency == "USD");
    CHECK(w.stock("p1") == 2);
    CHECK(w.stock("p2") == 97);

    // A later price change does not touch the stored order.
    w.catalog.by_id["p1"].price = 1;
    CHECK(w.service().find(o.id)->items[0].unit_price == 1250);
}

TEST_CASE("stock is reserved for every line or for none") {
    World w;
    CHECK(w.code_of([&] { w.create({{"p2", 10}, {"p1", 6}}); }) == "insufficient_stock");
    CHECK(w.stock("p1") == 5);
    CHECK(w.stock("p2") == 100);
    CHECK(w.code_of([&] { w.create({{"p2", 1}, {"gone", 1}}); }) == "validation_failed");
    CHECK(w.code_of([&] { w.create({{"nope", 1}}); }) == "validation_failed");
    CHECK(w.stock("p2") == 100);
    auto n = w.t.db().read([](db::Conn& c) { return c.query("SELECT count(*) FROM orders").front().i64(0); });
    CHECK(n == 0);
}

TEST_CASE("an order from the cart empties the cart; a saved address is copied") {
    World w;
    order::CartService carts(w.t.db(), w.catalog, "USD");
    carts.put("usr_1", "p1", 2);
    carts.put("usr_1", "p2", 1);
    CHECK(carts.view("usr_1").total == 2599);
    OrderRequest req;
    req.from_cart = true;
    req.address_id = "addr_1";
    auto o = w.t.db().write([&](db::Tx& tx) { return w.service().create(tx, "usr_1", req); });
    CHECK(o.total == 2599);
    CHECK(o.shipping_address["city"] == "Springfield");
    CHECK(carts.view("usr_1").items.empty());

    req.address_id = "addr_other";
    carts.put("usr_1", "p2", 1);
    CHECK(w.code_of([&] { w.t.db().write([&](db::Tx& tx) { w.service().create(tx, "usr_1", req); }); }) ==
          "validation_failed");
    CHECK(carts.view("usr_1").items.size() == 1);  // a failed checkout leaves the cart alone
}

TEST_CASE("archived products drop out of the cart with a note") {
    World w;
    order::CartService carts(w.t.db(), w.catalog, "USD");
    carts.put("usr_1", "p1", 1);
    carts.put("usr_1", "p2", 2);
    w.catalog.by_id["p1"].status = "archived";
    auto v = carts.view("usr_1");
    REQUIRE(v.items.size() == 1);
    CHECK(v.total == 198);
    REQUIRE(v.notes.size() == 1);
    CHECK(v.notes[0]["product_id"] == "p1");
    CHECK(carts.view("usr_1").notes.empty());
    CHECK(w.code_of([&] { carts.put("usr_1", "gone", 1); }) == "validation_failed");
    CHECK(w.code_of([&] { carts.put("usr_1", "p2", 1001); }) == "validation_failed");
    CHECK(carts.put("usr_1", "p2", 0).items.empty());
}

TEST_CASE("transitions: cancel releases stock, others follow the table") {
    World w;
    auto o = w.create({{"p1", 5}});
    CHECK(w.stock("p1") == 0);
    CHECK(w.code_of([&] { w.service().advance(o.id, order::Action::Ship); }) == "invalid_transition");
    auto c = w.service().cancel(o.id);
    CHECK(c.status == order::Status::Cancelled);
    CHECK(w.stock("p1") == 5);
    CHECK(w.code_of([&] { w.service().cancel(o.id); }) == "invalid_transition");

    auto o2 = w.create({{"p1", 1}});
    CHECK(w.t.db().write([&](db::Tx& tx) { return w.service().mark_paid(tx, o2.id, "pay_1"); }));
    CHECK_FALSE(w.t.db().write([&](db::Tx& tx) { return w.service().mark_paid(tx, o2.id, "pay_2"); }));
    CHECK(w.service().advance(o2.id, order::Action::Ship).status == order::Status::Shipped);
    CHECK(w.service().advance(o2.id, order::Action::Deliver).status == order::Status::Delivered);
    CHECK(w.code_of([&] { w.service().cancel(o2.id); }) == "invalid_transition");
    // Cancelling a paid order needs the payment module to refund it.
    auto o3 = w.create({{"p1", 1}});
    w.t.db().write([&](db::Tx& tx) { return w.service().mark_paid(tx, o3.id, "pay_3"); });
    CHECK(w.code_of([&] { w.service().cancel(o3.id); }) == "payments_unavailable");
    CHECK(w.service().find(o3.id)->status == order::Status::Paid);
}


TEST_CASE("a ship arriving while a paid order is refunded finds it cancelled, never shipped and refunded") {
    World w;
    test::ScriptedPayments payments;
    w.ifs.offer<api::Payments>("test", payments);
    w.ifs.seal();
    auto o = w.create({{"p1", 2}});
    w.t.db().write([&](db::Tx& tx) { return w.service().mark_paid(tx, o.id, "pay_1"); });
    // The race, driven: the admin's ship lands while the provider refunds.
    std::string ship_outcome;
    payments.refund = [&](std::string_view) {
        ship_outcome = w.code_of([&] { w.service().advance(o.id, order::Action::Ship); });
        return std::int64_t{2500};
    };
    auto c = w.service().cancel(o.id);
    CHECK(ship_outcome == "invalid_transition");
    CHECK(c.status == order::Status::Cancelled);
    CHECK(payments.calls == 1);
    CHECK(w.stock("p1") == 5);

    // A provider that refuses leaves the order paid, its stock still sold, and it can ship.
    auto o2 = w.create({{"p1", 1}});
    w.t.db().write([&](db::Tx& tx) { return w.service().mark_paid(tx, o2.id, "pay_2"); });
    payments.refund = [](std::string_view) -> std::int64_t { throw Error("provider_error", "refused"); };
    CHECK(w.code_of([&] { w.service().cancel(o2.id); }) == "provider_error");
    CHECK(w.service().find(o2.id)->status == order::Status::Paid);
    CHECK(w.stock("p1") == 4);
    CHECK(w.service().advance(o2.id, order::Action::Ship).status == order::Status::Shipped);
}

TEST_CASE("expiry releases stock exactly once, even run concurrently") {
    World w(core::Overrides{{"shop.order_ttl_s", "1"}});  // the shortest hold the setting allows
    w.create({{"p1", 2}});
    w.create({{"p1", 3}});
    CHECK(w.stock("p1") == 0);
    CHECK(w.service().expire_due() == 0);  // not due yet
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    std::atomic<int> expired{0};
    std::vector<std::thread> replicas;
    for (int i = 0; i < 4; ++i) replicas.emplace_back([&] { expired += w.service().expire_due(); });
    for (auto& r : replicas) r.join();
    CHECK(expired == 2);
    CHECK(w.stock("p1") == 5);
    auto events = w.t.db().read(
        [](db::Conn& c) { return c.query("SELECT count(*) FROM events WHERE type = 'order.expired'").front().i64(0); });
    CHECK(events == 2);
}

TEST_CASE("concurrent buyers never oversell") {
    World w(core::Overrides{{"shop.max_open_orders", "0"}});  // one buyer, many orders: stock is the limit here
    std::atomic<int> sold{0}, refused{0};
    std::vector<std::thread> buyers;
    for (int i = 0; i < 12; ++i)
        buyers.emplace_back([&] {
            try {
                w.create({{"p1", 1}});
                ++sold;
            } catch (const shop::Error& e) {
                if (e.code() == "insufficient_stock") ++refused;
            }
        });
    for (auto& b : buyers) b.join();
    CHECK(sold == 5);
    CHECK(refused == 7);
    CHECK(w.stock("p1") == 0);
}

TEST_CASE("the order hold is shop.order_ttl_s (SHOPD_ORDER_TTL), at least a second") {
    core::Settings s(std::nullopt, "test", {{"SHOPD_ORDER_TTL", "60"}}, {});
    CHECK(order::read_order_settings(s).order_ttl_s == 60);
    core::Settings none;
    CHECK(order::read_order_settings(none).order_ttl_s == 1800);
    core::Settings zero(std::nullopt, "test", {{"SHOPD_ORDER_TTL", "0"}}, {});
    CHECK_THROWS_AS(order::read_order_settings(zero), core::ConfigError);
}

TEST_CASE("a cart holds at most 100 lines; changing a line already there still works") {
    World w;
    order::CartService carts(w.t.db(), w.catalog, "USD");
    for (int i = 0; i < order::kMaxLines + 1; ++i) w.catalog.add("c" + std::to_string(i), 100);
    for (int i = 0; i < order::kMaxLines; ++i) carts.put("usr_a", "c" + std::to_string(i), 1);
    CHECK(w.code_of([&] { carts.put("usr_a", "c100", 1); }) == "cart_full");
    CHECK(carts.view("usr_a").items.size() == static_cast<std::size_t>(order::kMaxLines));
    CHECK_NOTHROW(carts.put("usr_a", "c0", 5));  // a line already in the cart
    carts.put("usr_a", "c0", 0);                 // removed: room for another
    CHECK_NOTHROW(carts.put("usr_a", "c100", 1));

    // A cart filled before the cap (written directly here) still cannot become an order
    // of more than 100 lines: the checkout refuses it whole.
    w.t.db().write([&](db::Tx& tx) {
        for (int i = 0; i <= order::kMaxLines; ++i)
            tx.exec("INSERT INTO cart_items(user_id, variant_id, quantity, added_at) VALUES ('usr_1', ?, 1, ?)",
                    "c" + std::to_string(i), i);
    });
    OrderRequest req;
    req.from_cart = true;
    req.shipping_address = nlohmann::json{{"name", "Ada"}};
    CHECK(w.code_of([&] { w.t.db().write([&](db::Tx& tx) { w.service().create(tx, "usr_1", req); }); }) ==
          "validation_failed");
}

TEST_CASE("a buyer holds at most shop.max_open_orders unpaid orders") {
    World w(core::Overrides{{"shop.max_open_orders", "2"}});
    auto a = w.create({{"p2", 1}});
    w.create({{"p2", 1}});
    CHECK(w.code_of([&] { w.create({{"p2", 1}}); }) == "too_many_open_orders");
    CHECK(w.stock("p2") == 98);  // the refused order took nothing
    w.service().cancel(a.id);
    CHECK_NOTHROW(w.create({{"p2", 1}}));
    core::Settings none;
    CHECK(order::read_order_settings(none).max_open_orders == 5);
}

TEST_CASE("an order's receipt: its buyer's address, lines as ordered and totals, for the buyer's mails") {
    World w;
    auto o = w.create({{"p1", 2}});
    w.catalog.by_id["p1"].name = "Renamed later";  // the receipt shows what was ordered
    auto r = w.t.db().read([&](db::Conn& c) { return w.service().receipt(c, o.id); });
    REQUIRE(r);
    CHECK(r->id == o.id);
    CHECK(r->user_id == "usr_1");
    CHECK(r->email == "usr_1@example.com");
    CHECK(r->currency == o.currency);
    CHECK(r->total == o.total);
    CHECK(r->subtotal == o.subtotal);
    REQUIRE(r->lines.size() == 1);
    CHECK(r->lines[0].variant_id == o.items[0].variant_id);
    CHECK(r->lines[0].name == o.items[0].name);
    CHECK(r->lines[0].sku == o.items[0].sku);
    CHECK(r->lines[0].quantity == 2);
    CHECK(r->lines[0].line_total == 2 * r->lines[0].unit_price);
    CHECK_FALSE(w.t.db().read([&](db::Conn& c) { return w.service().receipt(c, "ord_nope"); }));
}
