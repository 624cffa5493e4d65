// Timings on large data sets, hidden from the default run (tag [.bench]); they check the
// answers, print the times, and assert nothing about time:
//   build/tests/unit/search/search_test "[.bench]"
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <random>

#include "search/engine/query_terms.hpp"
#include "module_world.hpp"
#include "stopwatch.hpp"
#include "shop/events/catalog_events.hpp"
#include "search/search_module.hpp"
#include "shop/core/time.hpp"

using namespace shop;
using nlohmann::json;

using test::ms;

TEST_CASE("100k products: search and suggest", "[.bench]") {
    test::ModuleWorld<search::SearchModule> w;
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
        search::SearchRequest r;
        r.words = *search::query_words(q);
        search::SearchPage page;
        double t = ms([&] { page = w.module.search().search(r); });
        std::vector<std::string> s;
        double st = ms([&] { s = w.module.search().suggest(*search::query_words(q), 10); });
        CHECK(page.total > 0);
        std::printf("search %-22s total %6lld: %7.1f ms; suggest %5.1f ms\n", q, static_cast<long long>(page.total), t,
                    st);
    }
    std::printf("indexed 100k products in %.0f ms\n", index);
}
