// Timings on large data sets, hidden from the default run (tag [.bench]); they check the
// answers, print the times, and assert nothing about time:
//   build-data/tests/unit/data/data_test "[.bench]"
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <random>

#include "data/query_terms.hpp"
#include "fakes.hpp"
#include "shop/core/time.hpp"

using namespace shop;
using nlohmann::json;

namespace {

template <class F>
double ms(F&& f) {
    auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("100k paid orders: catch-up and queries", "[.bench]") {
    test::DataWorld w(false);
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
    std::vector<data::SalesBucket> buckets;
    const data::Window month{now - 30LL * 86'400'000, now + 1};
    double sales = ms([&] { buckets = w.module.analytics().sales(month, data::Interval::Day); });
    std::vector<data::TopProduct> top;
    double top_ms = ms([&] { top = w.module.analytics().top_products(month, 10, data::ProductOrder::Revenue); });
    data::Summary summary;
    double summary_ms = ms([&] { summary = w.module.analytics().summary(now); });
    std::int64_t total = 0;
    for (const auto& b : buckets) total += b.totals.revenue;
    CHECK(total == revenue);
    CHECK(summary.last_30_days.totals.revenue == revenue);
    CHECK(top.size() == 10);
    std::printf("100k orders: logged %.0f ms, caught up %.0f ms; ", load, catch_up);
    std::printf("sales %.1f ms, top products %.1f ms, summary %.1f ms\n", sales, top_ms, summary_ms);
}

TEST_CASE("100k products: search and suggest", "[.bench]") {
    test::DataWorld w;
    const char* nouns[] = {"lamp", "kettle", "jacket", "backpack", "speaker", "blender", "notebook", "bottle"};
    const char* adjs[] = {"red", "blue", "green", "black", "white", "compact", "deluxe", "rugged", "classic", "modern"};
    for (int c = 0; c < 20; ++c) w.catalog.category("cat" + std::to_string(c), "Category " + std::to_string(c));
    double index = ms([&] {
        for (int batch = 0; batch < 20; ++batch) {
            w.t.db().write([&](db::Tx& tx) {
                for (int i = 0; i < 5000; ++i) {
                    int n = batch * 5000 + i;
                    std::string id = "p" + std::to_string(n);
                    w.catalog.add(id, std::string(adjs[n % 10]) + " " + nouns[(n / 10) % 8] + " " + std::to_string(n),
                                  std::string("A ") + adjs[(n / 7) % 10] + " " + nouns[(n / 3) % 8] + " for every day",
                                  100 + n % 10000, "cat" + std::to_string(n % 20));
                    tx.emit(events::ProductCreated{id, "cat" + std::to_string(n % 20), 100 + n % 10000, "USD", 0});
                }
            });
        }
    });
    for (const char* q : {"lamp", "red lamp", "bl", "green lamp 4242", "every"}) {
        data::SearchRequest r;
        r.words = *data::query_words(q);
        data::SearchPage page;
        double t = ms([&] { page = w.module.search().search(r); });
        std::vector<std::string> s;
        double st = ms([&] { s = w.module.search().suggest(*data::query_words(q), 10); });
        CHECK(page.total > 0);
        std::printf("search %-22s total %6lld: %7.1f ms; suggest %5.1f ms\n", q, static_cast<long long>(page.total), t,
                    st);
    }
    std::printf("indexed 100k products in %.0f ms\n", index);
}
