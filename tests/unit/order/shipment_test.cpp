// Shipments (API.md section 11): the rules of what one may take, and the service on a real
// database: states, the stored shipments, the events, and concurrent shipments.
#include <catch2/catch.hpp>

#include <stdexcept>

#include <atomic>
#include <thread>

#include "fakes.hpp"
#include "order/order_module.hpp"
#include "order/shipment_plan.hpp"
#include "problem.hpp"
#include "shop/core/error.hpp"

using namespace shop;
using order::Action;
using order::ShipmentLine;
using order::ShipmentRequest;
using order::Status;

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
    test::ScriptedPayments payments;
    bool ready = prepare();
    order::OrderModule module{rt};

    World() {
        db::Migrator m;
        module.migrations(m);
        t.db().migrate(m.migrations());
        catalog.add("p1", 1000);
        catalog.add("p2", 250);
        inventory.set(t.db(), "p1", 100);
        inventory.set(t.db(), "p2", 100);
        ifs.seal();
    }
    bool prepare() {
        t.config().settings->set("shop.max_open_orders", "0");
        ifs.offer<api::Catalog>("test", catalog);
        ifs.offer<api::Inventory>("test", inventory);
        ifs.offer<api::Users>("test", users);
        ifs.offer<api::Payments>("test", payments);
        return true;
    }
    order::OrderService& service() { return module.orders(); }

    order::Order paid(std::vector<api::StockLine> items) {
        order::OrderRequest req;
        for (const auto& l : items) req.items.push_back({l.variant_id, l.quantity, std::nullopt, false});
        req.shipping_address = nlohmann::json{{"name", "Ada"}};
        auto o = t.db().write([&](db::Tx& tx) { return service().create(tx, "usr_1", req); });
        REQUIRE(t.db().write([&](db::Tx& tx) { return service().mark_paid(tx, o.id, "pay_" + o.id); }));
        return *service().find(o.id);
    }
    std::int64_t count(const std::string& sql) {
        return t.db().read([&](db::Conn& c) { return c.query(sql).front().i64(0); });
    }
    std::int64_t events(const std::string& type) {
        return t.db().read(
            [&](db::Conn& c) { return c.query("SELECT count(*) FROM events WHERE type = ?", type).front().i64(0); });
    }
};

ShipmentRequest tracked(std::optional<std::vector<ShipmentLine>> items = std::nullopt) {
    return {"UPS", "1Z999", "https://ups.example/track/1Z999", std::move(items)};
}

// The fields a 422 names, in order.
std::vector<std::string> bad_fields(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        std::vector<std::string> fields;
        for (const auto& f : e.errors()) fields.push_back(f.field);
        return fields;
    }
    return {"no error"};
}

std::vector<order::OrderItem> lines(std::vector<std::pair<std::string, std::int64_t>> ordered) {
    std::vector<order::OrderItem> out;
    for (auto& [variant, quantity] : ordered) {
        order::OrderItem i;
        i.variant_id = variant;
        i.quantity = quantity;
        out.push_back(i);
    }
    return out;
}
}  // namespace

TEST_CASE("a shipment takes everything left unless told, and never more than is left") {
    const auto ordered = lines({{"a", 3}, {"b", 1}});
    using Lines = std::vector<ShipmentLine>;

    auto all = order::plan_shipment(ordered, {}, std::nullopt);
    CHECK(all.lines == Lines{{"a", 3}, {"b", 1}});
    CHECK(all.takes_the_rest);
    auto rest = order::plan_shipment(ordered, {{"a", 2}}, std::nullopt);
    CHECK(rest.lines == Lines{{"a", 1}, {"b", 1}});

    auto part = order::plan_shipment(ordered, {}, Lines{{"a", 2}});
    CHECK(part.lines == Lines{{"a", 2}});
    CHECK_FALSE(part.takes_the_rest);
    // Lines naming one variant twice are merged, and together must fit.
    auto merged = order::plan_shipment(ordered, {{"a", 1}}, Lines{{"b", 1}, {"a", 1}, {"a", 1}});
    CHECK(merged.lines == Lines{{"b", 1}, {"a", 2}});
    CHECK(merged.takes_the_rest);

    auto plan = [&](std::map<std::string, std::int64_t> shipped, Lines asked) {
        return [=] { order::plan_shipment(ordered, shipped, asked); };
    };
    CHECK(bad_fields(plan({}, {{"a", 4}})) == std::vector<std::string>{"items[0].quantity"});
    CHECK(bad_fields(plan({{"a", 3}}, {{"b", 1}, {"a", 1}})) == std::vector<std::string>{"items[1].quantity"});
    CHECK(bad_fields(plan({}, {{"a", 2}, {"a", 2}})) == std::vector<std::string>{"items[1].quantity"});
    CHECK(bad_fields(plan({}, {{"zz", 1}, {"a", 9}})) ==
          std::vector<std::string>{"items[0].variant_id", "items[1].quantity"});
    CHECK(bad_fields(plan({}, {})) == std::vector<std::string>{"items"});
    CHECK(test::code_of(plan({}, {{"zz", 1}})) == "validation_failed");
}

TEST_CASE("partial then full shipment: paid, partially_shipped, shipped, with their shipments and events") {
    World w;
    auto o = w.paid({{"p1", 3}, {"p2", 2}});

    auto first = w.service().ship(o.id, tracked(std::vector<ShipmentLine>{{"p1", 2}}));
    CHECK(first.id.starts_with("shp_"));
    CHECK(first.items == std::vector<ShipmentLine>{{"p1", 2}});
    CHECK(first.tracking_url == "https://ups.example/track/1Z999");
    auto now = *w.service().find(o.id);
    CHECK(now.status == Status::PartiallyShipped);
    REQUIRE(now.shipments.size() == 1);
    CHECK(now.shipments[0].id == first.id);
    CHECK(now.shipments[0].carrier == "UPS");
    CHECK(w.events("shipment.created") == 1);
    CHECK(w.events("order.shipped") == 0);

    // Deliver and cancel wait for the rest.
    CHECK(w.service().find(o.id)->status == Status::PartiallyShipped);
    CHECK(test::code_of([&] { w.service().advance(o.id, Action::Deliver); }) == "invalid_transition");
    CHECK(test::code_of([&] { w.service().cancel(o.id); }) == "invalid_transition");

    auto second = w.service().ship(o.id, tracked());  // the rest, by default
    CHECK(second.items == std::vector<ShipmentLine>{{"p1", 1}, {"p2", 2}});
    now = *w.service().find(o.id);
    CHECK(now.status == Status::Shipped);
    REQUIRE(now.shipments.size() == 2);
    CHECK(now.shipments[0].id == first.id);  // oldest first
    CHECK(now.shipments[1].id == second.id);
    CHECK(w.events("shipment.created") == 2);
    CHECK(w.events("order.shipped") == 1);
    auto data = w.t.db().read([](db::Conn& c) {
        return nlohmann::json::parse(
            c.query("SELECT data FROM events WHERE type = 'shipment.created' ORDER BY seq DESC").front().str(0));
    });
    const nlohmann::json items = {{{"variant_id", "p1"}, {"quantity", 1}}, {{"variant_id", "p2"}, {"quantity", 2}}};
    CHECK(data == nlohmann::json{{"order_id", o.id},
                                 {"user_id", "usr_1"},
                                 {"shipment_id", second.id},
                                 {"carrier", "UPS"},
                                 {"tracking_number", "1Z999"},
                                 {"tracking_url", "https://ups.example/track/1Z999"},
                                 {"items", items}});

    CHECK(test::code_of([&] { w.service().ship(o.id, tracked()); }) == "invalid_transition");
    CHECK(w.service().advance(o.id, Action::Deliver).status == Status::Delivered);
    CHECK(test::code_of([&] { w.service().ship(o.id, tracked()); }) == "invalid_transition");
    // A delivered order still shows what was shipped.
    CHECK(w.service().find(o.id)->shipments.size() == 2);
}

TEST_CASE("a shipment that takes everything at once goes from paid to shipped") {
    World w;
    auto o = w.paid({{"p1", 1}, {"p2", 1}});
    auto s = w.service().ship(o.id, tracked(std::vector<ShipmentLine>{{"p2", 1}, {"p1", 1}}));
    CHECK(s.items.size() == 2);
    CHECK(w.service().find(o.id)->status == Status::Shipped);
    CHECK(w.events("order.shipped") == 1);
}

TEST_CASE("a refused shipment writes nothing") {
    World w;
    auto o = w.paid({{"p1", 2}});
    CHECK(bad_fields([&] { w.service().ship(o.id, tracked(std::vector<ShipmentLine>{{"p1", 3}})); }) ==
          std::vector<std::string>{"items[0].quantity"});
    CHECK(bad_fields([&] { w.service().ship(o.id, tracked(std::vector<ShipmentLine>{{"p2", 1}})); }) ==
          std::vector<std::string>{"items[0].variant_id"});
    CHECK(w.service().find(o.id)->status == Status::Paid);
    CHECK(w.count("SELECT count(*) FROM shipments") == 0);
    CHECK(w.count("SELECT count(*) FROM shipment_items") == 0);
    CHECK(w.events("shipment.created") == 0);

    CHECK(test::code_of([&] { w.service().ship("ord_nope", tracked()); }) == "not_found");
}

TEST_CASE("only a paid or partially shipped order takes a shipment") {
    World w;
    order::OrderRequest req;
    req.items.push_back({"p1", 1, std::nullopt, false});
    req.shipping_address = nlohmann::json{{"name", "Ada"}};
    auto unpaid = w.t.db().write([&](db::Tx& tx) { return w.service().create(tx, "usr_1", req); });
    CHECK(test::code_of([&] { w.service().ship(unpaid.id, tracked()); }) == "invalid_transition");
    CHECK(test::code_of([&] { w.service().advance(unpaid.id, Action::Ship); }) == "invalid_transition");
    w.service().cancel(unpaid.id);
    CHECK(test::code_of([&] { w.service().ship(unpaid.id, tracked()); }) == "invalid_transition");
    CHECK(w.count("SELECT count(*) FROM shipments") == 0);
}

TEST_CASE("POST /ship ships everything left without tracking, after a partial shipment too") {
    World w;
    auto o = w.paid({{"p1", 3}});
    w.service().ship(o.id, tracked(std::vector<ShipmentLine>{{"p1", 1}}));
    auto shipped = w.service().advance(o.id, Action::Ship);
    CHECK(shipped.status == Status::Shipped);
    REQUIRE(shipped.shipments.size() == 2);
    const auto& rest = shipped.shipments[1];
    CHECK(rest.items == std::vector<ShipmentLine>{{"p1", 2}});
    CHECK_FALSE(rest.carrier);
    CHECK_FALSE(rest.tracking_number);
    CHECK_FALSE(rest.tracking_url);
    CHECK(order::to_json(rest)["carrier"].is_null());
    CHECK(w.events("order.shipped") == 1);
}

TEST_CASE("a shipment arriving while a paid order is refunded is refused, and the cancel completes") {
    World w;
    auto o = w.paid({{"p1", 2}});
    std::string outcome;
    w.payments.refund = [&](std::string_view) {
        outcome = test::code_of([&] { w.service().ship(o.id, tracked()); });
        return std::int64_t{2000};
    };
    CHECK(w.service().cancel(o.id).status == Status::Cancelled);
    CHECK(outcome == "invalid_transition");
    CHECK(w.count("SELECT count(*) FROM shipments") == 0);
}

TEST_CASE("concurrent shipments never ship more than was ordered") {
    World w;
    auto o = w.paid({{"p1", 5}, {"p2", 3}});
    std::atomic<int> made{0}, refused{0};
    std::vector<std::thread> clerks;
    for (int i = 0; i < 12; ++i)
        clerks.emplace_back([&, i] {
            try {
                w.service().ship(o.id, tracked(std::vector<ShipmentLine>{{i % 2 ? "p1" : "p2", 1}}));
                ++made;
            } catch (const Error& e) {
                if (e.code() == "validation_failed" || e.code() == "invalid_transition") ++refused;
            }
        });
    for (auto& c : clerks) c.join();
    CHECK(made == 5 + 3);  // six clerks ask for a p1 each (5 fit), six for a p2 (3 fit)
    CHECK(made + refused == 12);
    CHECK(w.count("SELECT COALESCE(SUM(quantity), 0) FROM shipment_items WHERE variant_id = 'p1'") == 5);
    CHECK(w.count("SELECT COALESCE(SUM(quantity), 0) FROM shipment_items WHERE variant_id = 'p2'") == 3);
    CHECK(w.service().find(o.id)->status == Status::Shipped);
    CHECK(w.events("order.shipped") == 1);
}

TEST_CASE("lists carry each order's shipments, and filter by partially_shipped") {
    World w;
    auto a = w.paid({{"p1", 2}});
    auto b = w.paid({{"p2", 2}});
    auto c = w.paid({{"p2", 1}});
    w.service().ship(a.id, tracked(std::vector<ShipmentLine>{{"p1", 1}}));
    w.service().ship(b.id, tracked());
    auto all = w.service().list({}, std::nullopt, 10);
    REQUIRE(all.size() == 3);
    std::map<std::string, std::size_t> shipments;
    for (const auto& o : all) shipments[o.id] = o.shipments.size();
    CHECK(shipments == std::map<std::string, std::size_t>{{a.id, 1}, {b.id, 1}, {c.id, 0}});
    auto partial = w.service().list({std::nullopt, Status::PartiallyShipped}, std::nullopt, 10);
    REQUIRE(partial.size() == 1);
    CHECK(partial[0].id == a.id);
    CHECK(order::to_json(*w.service().find(c.id))["shipments"] == nlohmann::json::array());
}
