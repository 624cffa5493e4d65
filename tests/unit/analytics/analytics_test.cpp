#include <catch2/catch.hpp>

#include "analytics/analytics_module.hpp"
#include "module_world.hpp"
#include "shop/core/time.hpp"

using namespace shop;
using analytics::Interval;
using analytics::Window;
using nlohmann::json;

namespace {

std::int64_t at(const char* s) { return *core::parse_rfc3339(s); }

json paid(const std::string& order, const std::string& user, std::int64_t total, json items) {
    return {{"order_id", order}, {"user_id", user},    {"payment_id", "pay_" + order},
            {"total", total},    {"currency", "USD"}, {"items", std::move(items)}};
}
json line(const std::string& product, std::int64_t quantity, std::int64_t unit_price) {
    return {{"product_id", product}, {"quantity", quantity}, {"unit_price", unit_price}};
}
json refunded(const std::string& order, const std::string& refund, std::int64_t amount) {
    return {{"payment_id", "pay_" + order}, {"order_id", order}, {"refund_id", refund}, {"amount", amount},
            {"currency", "USD"}};
}

// Three items over two products, paid 2500.
json order_o1() { return paid("o1", "u1", 2500, {line("pa", 2, 1000), line("pb", 1, 500)}); }

struct Sales : test::ModuleWorld<analytics::AnalyticsModule> {
    using ModuleWorld::ModuleWorld;

    // Applies an event dated `when` as its projection does in the writing transaction.
    void apply(const std::string& type, const json& data, std::int64_t when) {
        events::Event e{0, type, when, data};
        t.db().write([&](db::Tx& tx) {
            if (type == "order.paid") module.analytics().apply_paid(tx, e);
            else module.analytics().apply_refund(tx, e);
        });
    }
    // Three paid orders and one refund in the first week of November 2026.
    void seed_by_apply() {
        apply("order.paid", order_o1(), at("2026-11-02T10:00:00Z"));
        apply("order.paid", paid("o2", "u2", 1000, {line("pa", 1, 1000)}), at("2026-11-02T15:00:00Z"));
        apply("order.paid", paid("o3", "u1", 700, {line("pc", 7, 100)}), at("2026-11-04T08:00:00Z"));
        apply("payment.refunded", refunded("o1", "re1", 300), at("2026-11-05T09:00:00Z"));
    }
    void seed_in_log() {
        log_event("order.paid", order_o1(), at("2026-11-02T10:00:00Z"));
        log_event("order.paid", paid("o2", "u2", 1000, {line("pa", 1, 1000)}), at("2026-11-02T15:00:00Z"));
        log_event("order.paid", paid("o3", "u1", 700, {line("pc", 7, 100)}), at("2026-11-04T08:00:00Z"));
        log_event("payment.refunded", refunded("o1", "re1", 300), at("2026-11-05T09:00:00Z"));
    }

    std::vector<analytics::SalesBucket> sales(const char* from, const char* to, Interval i = Interval::Day) {
        return module.analytics().sales({at(from), at(to)}, i);
    }
    // (orders, items, revenue, refunds) of each bucket
    std::vector<std::array<std::int64_t, 4>> rows(const char* from, const char* to, Interval i = Interval::Day) {
        std::vector<std::array<std::int64_t, 4>> out;
        for (const auto& b : sales(from, to, i))
            out.push_back({b.totals.orders, b.totals.items, b.totals.revenue, b.totals.refunds});
        return out;
    }
    std::int64_t watermark() {
        events::EventFeed feed;
        return t.db().read([&](db::Conn& c) { return feed.watermark(c, "sales"); });
    }
};

using Row = std::array<std::int64_t, 4>;
const std::vector<Row> kWeek = {
    {0, 0, 0, 0},       // 11-01
    {2, 4, 3500, 0},    // 11-02: o1 (3 items) and o2 (1 item)
    {0, 0, 0, 0},       // 11-03
    {1, 7, 700, 0},     // 11-04
    {0, 0, 0, 300},     // 11-05: the refund of o1, on the day it happened
    {0, 0, 0, 0},       // 11-06
    {0, 0, 0, 0},       // 11-07
};

}  // namespace

TEST_CASE("paid orders and refunds become daily buckets, empty days included") {
    Sales s;
    s.seed_by_apply();
    auto b = s.sales("2026-11-01", "2026-11-08");
    REQUIRE(b.size() == 7);
    CHECK(core::format_rfc3339(b.front().start) == "2026-11-01T00:00:00Z");
    CHECK(core::format_rfc3339(b.back().start) == "2026-11-07T00:00:00Z");
    CHECK(s.rows("2026-11-01", "2026-11-08") == kWeek);
}

TEST_CASE("weeks start on Monday and months on the first; a bucket holds only what is in range") {
    Sales s;
    s.seed_by_apply();
    // 2026-11-01 is a Sunday: its week began on Monday 2026-10-26.
    auto weeks = s.sales("2026-11-01", "2026-11-08", Interval::Week);
    REQUIRE(weeks.size() == 2);
    CHECK(core::format_rfc3339(weeks[0].start) == "2026-10-26T00:00:00Z");
    CHECK(core::format_rfc3339(weeks[1].start) == "2026-11-02T00:00:00Z");
    CHECK(s.rows("2026-11-01", "2026-11-08", Interval::Week) == std::vector<Row>{{0, 0, 0, 0}, {3, 11, 4200, 300}});
    CHECK(s.rows("2026-10-01", "2027-01-01", Interval::Month) ==
          std::vector<Row>{{0, 0, 0, 0}, {3, 11, 4200, 300}, {0, 0, 0, 0}});
}

TEST_CASE("range edges inside a day are exact to the millisecond") {
    Sales s;
    s.seed_by_apply();
    // From noon on 11-02: o1 (10:00) is out, o2 (15:00) is in; to 11-04 08:00 exclusive: o3 is out.
    CHECK(s.rows("2026-11-02T12:00:00Z", "2026-11-04T08:00:00Z") ==
          std::vector<Row>{{1, 1, 1000, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}});
    CHECK(s.rows("2026-11-04T08:00:00Z", "2026-11-04T08:00:01Z") == std::vector<Row>{{1, 7, 700, 0}});
    CHECK(s.rows("2026-11-02T10:00:00Z", "2026-11-02T15:00:00Z") == std::vector<Row>{{1, 3, 2500, 0}});
    CHECK(s.sales("2026-11-02", "2026-11-02").empty());
}

TEST_CASE("top products over a range, by revenue or by units, with catalogue names") {
    Sales s;
    s.seed_by_apply();
    s.catalog.add("pa", "Alpha", "");
    s.catalog.add("pc", "Gamma", "");
    auto top = s.module.analytics().top_products({at("2026-11-01"), at("2026-11-08")}, 10, analytics::ProductOrder::Revenue);
    REQUIRE(top.size() == 3);
    CHECK(top[0].product_id == "pa");
    CHECK(top[0].name == "Alpha");
    CHECK(top[0].units == 3);
    CHECK(top[0].revenue == 3000);
    CHECK(top[1].product_id == "pc");
    CHECK(top[1].revenue == 700);
    CHECK(top[2].product_id == "pb");
    CHECK_FALSE(top[2].name);  // not in the catalogue any more

    auto by_units =
        s.module.analytics().top_products({at("2026-11-01"), at("2026-11-08")}, 1, analytics::ProductOrder::Units);
    REQUIRE(by_units.size() == 1);
    CHECK(by_units[0].product_id == "pc");
    CHECK(by_units[0].units == 7);

    // Only o2's line counts from noon on 11-02 to the end of 11-03.
    auto part = s.module.analytics().top_products({at("2026-11-02T12:00:00Z"), at("2026-11-04")}, 10,
                                                  analytics::ProductOrder::Revenue);
    REQUIRE(part.size() == 1);
    CHECK(part[0].product_id == "pa");
    CHECK(part[0].units == 1);
}

TEST_CASE("an event applied twice counts once; refunds of orders never paid do not count") {
    Sales s;
    s.seed_by_apply();
    s.seed_by_apply();
    s.apply("payment.refunded", refunded("o_unpaid", "re9", 999), at("2026-11-05T10:00:00Z"));
    s.apply("order.paid", json{{"order_id", "bad"}}, at("2026-11-05T10:00:00Z"));  // malformed: skipped
    CHECK(s.rows("2026-11-01", "2026-11-08") == kWeek);
}

TEST_CASE("events written through the bus are applied in their transaction") {
    Sales s;
    s.emit("order.paid", order_o1());
    s.emit("order.paid", paid("o2", "u2", 1000, {line("pa", 1, 1000)}));
    s.emit("order.paid", paid("o3", "u1", 400, {line("pc", 4, 100)}));
    s.emit("payment.refunded", refunded("o2", "re1", 1000));
    s.emit("order.created", {{"order_id", "o4"}});  // not a sale
    auto sum = s.module.analytics().summary(core::now_ms());
    CHECK(sum.today.totals.orders == 3);
    CHECK(sum.today.totals.revenue == 3900);
    CHECK(sum.today.totals.refunds == 1000);
    CHECK(sum.today.customers == 2);
    CHECK(sum.today.average_order_value() == 1300);
    CHECK(sum.last_30_days.totals.revenue == 3900);
    CHECK(sum.last_30_days.customers == 2);
    CHECK(s.watermark() > 0);

    // Catching up afterwards finds nothing new to count.
    s.module.start();
    sum = s.module.analytics().summary(core::now_ms());
    CHECK(sum.today.totals.orders == 3);
    CHECK(sum.today.totals.revenue == 3900);
    CHECK(sum.today.totals.refunds == 1000);
}

TEST_CASE("a fresh module catches up from the events table, once") {
    Sales s(false);  // events written before the module existed
    s.seed_in_log();
    CHECK(s.rows("2026-11-01", "2026-11-08") != kWeek);
    s.module.start();
    CHECK(s.rows("2026-11-01", "2026-11-08") == kWeek);
    auto mark = s.watermark();
    CHECK(mark > 0);
    s.module.start();
    CHECK(s.rows("2026-11-01", "2026-11-08") == kWeek);
    CHECK(s.watermark() == mark);
}

TEST_CASE("catching up goes in batches and resumes from the watermark") {
    Sales s(false);
    for (int i = 0; i < 1203; ++i)
        s.log_event("order.paid", paid("o" + std::to_string(i), "u" + std::to_string(i % 7), 100, {line("pa", 1, 100)}),
                    at("2026-11-02T10:00:00Z") + i);
    events::EventFeed feed;
    events::Projection p{"sales", {"order.paid", "payment.refunded"}, [&](db::Tx& tx, const events::Event& e) {
                           s.module.analytics().apply_paid(tx, e);
                       }};
    CHECK(feed.catch_up(s.t.db(), p, 500) == 1203);
    CHECK(feed.catch_up(s.t.db(), p, 500) == 0);
    auto day = s.rows("2026-11-02", "2026-11-03");
    CHECK(day == std::vector<Row>{{1203, 1203, 120300, 0}});
    auto top = s.module.analytics().top_products({at("2026-11-02"), at("2026-11-03")}, 5, analytics::ProductOrder::Units);
    CHECK(top[0].units == 1203);
}

TEST_CASE("an event the module missed keeps the watermark below it until a catch-up applies it") {
    Sales s;
    // An older replica wrote o1 without applying it; this one then writes o2 in-transaction.
    s.log_event("order.paid", order_o1(), at("2026-11-02T10:00:00Z"));
    auto missed = s.t.db().read([](db::Conn& c) { return c.query_one("SELECT MAX(seq) FROM events")->i64(0); });
    s.emit("order.paid", paid("o2", "u2", 1000, {line("pa", 1, 1000)}));
    CHECK(s.watermark() < missed);
    CHECK(s.rows("2026-11-02", "2026-11-03") == std::vector<Row>{{0, 0, 0, 0}});

    s.module.start();
    CHECK(s.watermark() > missed);
    CHECK(s.rows("2026-11-02", "2026-11-03") == std::vector<Row>{{1, 3, 2500, 0}});
    auto today = s.module.analytics().summary(core::now_ms()).today;
    CHECK(today.totals.orders == 1);  // o2, counted once
    CHECK(today.totals.revenue == 1000);

    // With no gap the watermark follows each new event.
    s.emit("order.paid", paid("o3", "u3", 10, {line("pa", 1, 10)}));
    auto last = s.t.db().read([](db::Conn& c) { return c.query_one("SELECT MAX(seq) FROM events")->i64(0); });
    CHECK(s.watermark() == last);
}

namespace {

// order.paid with checkout pricing's breakdown (API.md section 10): tax added on top.
json priced(const std::string& order, std::int64_t subtotal, std::int64_t discount, std::int64_t shipping,
            std::int64_t tax) {
    json d = paid(order, "u_" + order, subtotal - discount + shipping + tax, {line("pa", 1, subtotal)});
    d["subtotal"] = subtotal;
    d["discount_total"] = discount;
    d["shipping_total"] = shipping;
    d["tax_total"] = tax;
    return d;
}

// (discounts, shipping, tax) of each bucket
std::vector<std::array<std::int64_t, 3>> breakdown(const std::vector<analytics::SalesBucket>& buckets) {
    std::vector<std::array<std::int64_t, 3>> out;
    for (const auto& b : buckets) out.push_back({b.totals.discounts, b.totals.shipping, b.totals.tax});
    return out;
}
using Parts = std::vector<std::array<std::int64_t, 3>>;

}  // namespace

TEST_CASE("buckets sum the paid orders' discounts, shipping and tax beside their revenue") {
    Sales s;
    s.apply("order.paid", priced("p1", 5000, 500, 400, 980), at("2026-11-02T10:00:00Z"));
    s.apply("order.paid", priced("p2", 2000, 0, 300, 460), at("2026-11-02T15:00:00Z"));
    s.apply("order.paid", priced("p3", 1000, 1000, 0, 0), at("2026-11-04T08:00:00Z"));  // all free
    s.apply("order.paid", order_o1(), at("2026-11-04T09:00:00Z"));  // logged before the breakdown: no parts
    s.apply("payment.refunded", refunded("p1", "re1", 300), at("2026-11-05T09:00:00Z"));      // not a part
    s.apply("order.paid", priced("p1", 9999, 9999, 9999, 9999), at("2026-11-03T10:00:00Z"));  // applied twice

    auto days = s.sales("2026-11-01", "2026-11-06");
    CHECK(breakdown(days) == Parts{{0, 0, 0}, {500, 700, 1440}, {0, 0, 0}, {1000, 0, 0}, {0, 0, 0}});
    CHECK(days[1].totals.revenue == (5000 - 500 + 400 + 980) + (2000 + 300 + 460));
    CHECK(days[3].totals.revenue == 0 + 2500);
    CHECK(days[4].totals.refunds == 300);

    // Whole days come from the daily aggregates, partial ones from the orders: both agree.
    CHECK(breakdown(s.sales("2026-11-02T12:00:00Z", "2026-11-04T08:00:01Z")) ==
          Parts{{0, 300, 460}, {0, 0, 0}, {1000, 0, 0}});
    CHECK(breakdown(s.sales("2026-11-01", "2026-11-08", Interval::Week)) == Parts{{0, 0, 0}, {1500, 700, 1440}});
    CHECK(breakdown(s.sales("2026-11-01", "2026-12-01", Interval::Month)) == Parts{{1500, 700, 1440}});

    // The same sums when the module catches up from the log instead.
    Sales fresh(false);
    fresh.log_event("order.paid", priced("p1", 5000, 500, 400, 980), at("2026-11-02T10:00:00Z"));
    fresh.log_event("order.paid", priced("p2", 2000, 0, 300, 460), at("2026-11-02T15:00:00Z"));
    fresh.module.start();
    CHECK(breakdown(fresh.sales("2026-11-02", "2026-11-03")) == Parts{{500, 700, 1440}});
}

TEST_CASE("the summary windows carry today's discounts, shipping and tax") {
    Sales s;
    s.emit("order.paid", priced("p1", 5000, 500, 400, 980));
    s.emit("order.paid", priced("p2", 2000, 0, 300, 460));
    auto sum = s.module.analytics().summary(core::now_ms());
    for (const auto* w : {&sum.today, &sum.last_30_days}) {
        CHECK(w->totals.discounts == 500);
        CHECK(w->totals.shipping == 700);
        CHECK(w->totals.tax == 1440);
    }
}

// On either backend: a shop whose log holds an order.paid with a breakdown that the
// projection applied before it had the columns (a binary whose order module wrote the
// breakdown ahead of this analytics). ("data", 5) starts the projection over, so the next
// start counts the breakdown, and every order still once.
TEST_CASE("migration 5 rebuilds the sales tables from the log, breakdown included") {
    test::ModuleWorld<analytics::AnalyticsModule> today(false);  // the module's migrations today
    db::Migrator all, before;
    today.module.migrations(all);
    for (const auto& mig : all.migrations())
        if (mig.version < 5) before.add(mig.module, mig.version, mig.sqlite_sql, mig.postgres_sql);
    // ("data", 5), and ("data", 6) (webhook endpoints), which leaves the sales tables alone.
    REQUIRE(before.migrations().size() + 2 == all.migrations().size());
    test::TestDb t(before);
    const std::int64_t when = at("2026-11-02T10:00:00Z");
    t.db().write([&](db::Tx& tx) {
        tx.exec("INSERT INTO events(type, created_at, data) VALUES ('order.paid', ?, ?)", when,
                priced("p1", 5000, 500, 400, 980).dump());
        tx.exec("INSERT INTO events(type, created_at, data) VALUES ('payment.refunded', ?, ?)", when + 1000,
                refunded("p1", "re1", 300).dump());
        // What the projection of that binary left: the order and refund without the parts.
        tx.exec(
            "INSERT INTO data_paid_orders(order_id, user_id, currency, total, items, paid_at) "
            "VALUES ('p1', 'u_p1', 'USD', 5880, 1, ?)",
            when);
        tx.exec(
            "INSERT INTO data_paid_lines(order_id, product_id, currency, units, revenue, paid_at) "
            "VALUES ('p1', 'pa', 'USD', 1, 5000, ?)",
            when);
        tx.exec(
            "INSERT INTO data_refunds(refund_id, order_id, currency, amount, refunded_at) "
            "VALUES ('re1', 'p1', 'USD', 300, ?)",
            when + 1000);
        tx.exec(
            "INSERT INTO data_sales_daily(day, currency, orders, items, revenue, refunds) "
            "VALUES (?, 'USD', 1, 1, 5880, 300)",
            analytics::day_start(when));
        tx.exec("INSERT INTO data_watermarks(consumer, seq) VALUES ('sales', (SELECT MAX(seq) FROM events))");
    });

    t.db().migrate(all.migrations());  // applies ("data", 5) and ("data", 6)
    test::FakeCatalog catalog;
    test::NoScheduler sched;
    core::Idempotency idem{t.db()};
    Interfaces ifs;
    ifs.offer<api::Catalog>("test", catalog);
    Runtime rt{t.config(), t.db(), t.bus(), t.metrics(), sched, idem, ifs};
    analytics::AnalyticsModule module(rt);
    module.start();

    auto b = module.analytics().sales({at("2026-11-02"), at("2026-11-03")}, Interval::Day);
    REQUIRE(b.size() == 1);
    CHECK(b[0].totals.orders == 1);
    CHECK(b[0].totals.revenue == 5880);
    CHECK(b[0].totals.refunds == 300);
    CHECK(breakdown(b) == Parts{{500, 400, 980}});
    auto top = module.analytics().top_products({at("2026-11-02"), at("2026-11-03")}, 5, analytics::ProductOrder::Units);
    REQUIRE(top.size() == 1);
    CHECK(top[0].units == 1);
}
