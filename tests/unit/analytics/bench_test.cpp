// Timings on large data sets, hidden from the default run (tag [.bench]); they check the
// answers, print the times, and assert nothing about time:
//   build/tests/unit/analytics/analytics_test "[.bench]"
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <random>

#include "analytics/analytics_module.hpp"
#include "module_world.hpp"
#include "stopwatch.hpp"
#include "shop/core/time.hpp"

using namespace shop;
using nlohmann::json;

using test::ms;

TEST_CASE("100k paid orders: catch-up and queries", "[.bench]") {
    test::ModuleWorld<analytics::AnalyticsModule> w(false);
    const std::int64_t now = core::now_ms();
    std::mt19937 rng(1);
    std::int64_t revenue = 0;
    double load = ms([&] {
        for (int batch = 0; batch < 20; ++batch) {
            w.t.db().write([&](db::Tx& tx) {
                for (int i = 0; i < 5000; ++i) {
                    int n = batch * 5000 + i;
                    std::int64_t qty = 1 + static_cast<std::int64_t>(rng() % 3), price = 100 + rng() % 5000;
                    json data = {{"order_id", "o" + std::to_string(n)},
                                 {"user_id", "u" + std::to_string(rng() % 5000)},
                                 {"total", qty * price},
                                 {"currency", "USD"},
                                 {"items", {{{"product_id", "p" + std::to_string(rng() % 2000)},
                                             {"quantity", qty},
                                             {"unit_price", price}}}}};
                    revenue += qty * price;
                    // Spread over the last 30 days.
                    std::int64_t at = now - static_cast<std::int64_t>(rng() % (29LL * 86'400'000));
                    tx.exec("INSERT INTO events(type, created_at, data) VALUES ('order.paid', ?, ?)", at, data.dump());
                }
            });
        }
    });
    double catch_up = ms([&] { w.module.start(); });
    std::vector<analytics::SalesBucket> buckets;
    const analytics::Window month{now - 30LL * 86'400'000, now + 1};
    double sales = ms([&] { buckets = w.module.analytics().sales(month, analytics::Interval::Day); });
    std::vector<analytics::TopProduct> top;
    double top_ms = ms([&] { top = w.module.analytics().top_products(month, 10, analytics::ProductOrder::Revenue); });
    analytics::Summary summary;
    double summary_ms = ms([&] { summary = w.module.analytics().summary(now); });
    std::int64_t total = 0;
    for (const auto& b : buckets) total += b.totals.revenue;
    CHECK(total == revenue);
    CHECK(summary.last_30_days.totals.revenue == revenue);
    CHECK(top.size() == 10);
    std::printf("100k orders: logged %.0f ms, caught up %.0f ms; ", load, catch_up);
    std::printf("sales %.1f ms, top products %.1f ms, summary %.1f ms\n", sales, top_ms, summary_ms);
}
