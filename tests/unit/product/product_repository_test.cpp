// The list query: filters, sorts, the category subtree, and keyset pages that stay right
// while rows are inserted between them.
#include <algorithm>
#include <catch2/catch.hpp>

#include "problem.hpp"
#include <set>

#include "product/category_repository.hpp"
#include "product_fixture.hpp"
#include "shop/core/error.hpp"

using namespace shop;
using product::ProductInfo;
using product::ProductQuery;
using product::Sort;

namespace {

std::vector<std::string> ids_of(const std::vector<ProductInfo>& ps) {
    std::vector<std::string> out;
    for (const auto& p : ps) out.push_back(p.id);
    return out;
}

// Every page of a query, following next cursors; at most `max_pages` pages. `between` runs
// after each page, before the next is fetched.
std::vector<ProductInfo> all_pages(product::ProductService& s, ProductQuery q, int max_pages,
                                   const std::function<void()>& between = {}) {
    std::vector<ProductInfo> out;
    for (int i = 0; i < max_pages; ++i) {
        auto page = s.list(q);
        REQUIRE(page.items.size() <= static_cast<std::size_t>(q.limit));
        out.insert(out.end(), page.items.begin(), page.items.end());
        if (!page.next) return out;
        if (between) between();
        q.after = page.next;
    }
    FAIL("pagination did not end within " << max_pages << " pages");
    return out;
}

bool sorted_by(const std::vector<ProductInfo>& ps, Sort sort) {
    for (std::size_t i = 1; i < ps.size(); ++i) {
        const auto& a = ps[i - 1];
        const auto& b = ps[i];
        switch (sort) {
            case Sort::PriceAsc:
                if (a.price > b.price) return false;
                break;
            case Sort::PriceDesc:
                if (a.price < b.price) return false;
                break;
            case Sort::NameAsc:
                if (a.name > b.name) return false;
                break;
            case Sort::CreatedAsc:
                if (a.created_at_ms > b.created_at_ms) return false;
                break;
            case Sort::CreatedDesc:
                if (a.created_at_ms < b.created_at_ms) return false;
                break;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("list filters by price range and shows active products only") {
    test::ProductFixture f;
    auto cheap = f.make("Cheap", 100);
    auto mid = f.make("Mid", 500);
    auto dear = f.make("Dear", 900);
    auto gone = f.make("Gone", 500);
    f.products.archive(gone.id, std::nullopt);

    ProductQuery q;
    q.limit = 100;
    q.sort = Sort::PriceAsc;
    CHECK(ids_of(f.products.list(q).items) == std::vector<std::string>{cheap.id, mid.id, dear.id});

    q.filter.min_price = 500;
    CHECK(ids_of(f.products.list(q).items) == std::vector<std::string>{mid.id, dear.id});
    q.filter.max_price = 500;
    CHECK(ids_of(f.products.list(q).items) == std::vector<std::string>{mid.id});
    q.filter.min_price = 0;
    q.filter.max_price = 99;
    CHECK(f.products.list(q).items.empty());
}

TEST_CASE("each sort orders as the contract says, newest first by default") {
    test::ProductFixture f;
    // Equal prices and names check the tie-breaker; a capital, an accent and a quote check
    // that names order by code point.
    std::vector<std::pair<std::string, std::int64_t>> specs = {{"banana", 300}, {"Apple", 100}, {"cherry", 300},
                                                               {"Äpfel", 200},  {"apple", 100}, {"'; DROP", 50},
                                                               {"banana", 300}};
    std::vector<ProductInfo> made;
    for (const auto& [name, price] : specs) made.push_back(f.make(name, price));

    ProductQuery q;
    q.limit = 100;
    CHECK(q.sort == Sort::CreatedDesc);
    auto newest_first = f.products.list(q).items;
    std::vector<std::string> expected = ids_of(made);
    std::reverse(expected.begin(), expected.end());
    // Creation order even within one millisecond: the insertion counter breaks ties.
    CHECK(ids_of(newest_first) == expected);

    q.sort = Sort::CreatedAsc;
    CHECK(ids_of(f.products.list(q).items) == ids_of(made));

    q.sort = Sort::NameAsc;
    auto by_name = f.products.list(q).items;
    std::vector<std::string> names;
    for (const auto& p : by_name) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"'; DROP", "Apple", "apple", "banana", "banana", "cherry", "Äpfel"});

    for (Sort s : {Sort::PriceAsc, Sort::PriceDesc, Sort::NameAsc, Sort::CreatedAsc, Sort::CreatedDesc}) {
        q.sort = s;
        auto items = f.products.list(q).items;
        CHECK(items.size() == made.size());
        CHECK(sorted_by(items, s));
    }
    q.sort = Sort::PriceDesc;
    CHECK(f.products.list(q).items.front().price == 300);
}

TEST_CASE("sort names parse from the fixed list only") {
    CHECK(product::sort_from_string("price") == Sort::PriceAsc);
    CHECK(product::sort_from_string("-price") == Sort::PriceDesc);
    CHECK(product::sort_from_string("name") == Sort::NameAsc);
    CHECK(product::sort_from_string("created_at") == Sort::CreatedAsc);
    CHECK(product::sort_from_string("-created_at") == Sort::CreatedDesc);
    CHECK_FALSE(product::sort_from_string("-name"));
    CHECK_FALSE(product::sort_from_string("price; DROP TABLE products"));
    CHECK_FALSE(product::sort_from_string(""));
}

TEST_CASE("a category filter includes every descendant and nothing else") {
    test::ProductFixture f;
    auto elec = f.categories.create("Electronics", std::nullopt);
    auto audio = f.categories.create("Audio", elec.id);
    auto head = f.categories.create("Headphones", audio.id);
    auto home = f.categories.create("Home", std::nullopt);

    auto tv = f.make("TV", 50000, 1, elec.id);
    auto speaker = f.make("Speaker", 9000, 1, audio.id);
    auto buds = f.make("Buds", 4000, 1, head.id);
    auto pan = f.make("Pan", 3000, 1, home.id);
    f.make("Loose", 100);

    ProductQuery q;
    q.limit = 100;
    q.sort = Sort::PriceAsc;
    q.filter.category = elec.id;
    CHECK(ids_of(f.products.list(q).items) == std::vector<std::string>{buds.id, speaker.id, tv.id});
    q.filter.category = audio.id;
    CHECK(ids_of(f.products.list(q).items) == std::vector<std::string>{buds.id, speaker.id});
    q.filter.category = head.id;
    CHECK(ids_of(f.products.list(q).items) == std::vector<std::string>{buds.id});
    q.filter.category = home.id;
    q.filter.max_price = 2999;
    CHECK(f.products.list(q).items.empty());
    q.filter.max_price = 3000;
    CHECK(ids_of(f.products.list(q).items) == std::vector<std::string>{pan.id});

    // The subtree itself, as the Catalog interface offers it.
    product::CategoryRepository repo;
    auto subtree = f.t.db().read([&](db::Conn& c) { return repo.subtree(c, elec.id); });
    CHECK(subtree.size() == 3);
    CHECK(subtree.front() == elec.id);
    CHECK(std::set<std::string>(subtree.begin(), subtree.end()) == std::set<std::string>{elec.id, audio.id, head.id});
    CHECK(f.t.db().read([&](db::Conn& c) { return repo.subtree(c, "cat_nope"); }).empty());

    q.filter.category = "cat_nope";
    try {
        f.products.list(q);
        FAIL("an unknown category was accepted");
    } catch (const shop::Error& e) {
        CHECK(test::status_of(e) == 422);
        REQUIRE(e.errors().size() == 1);
        CHECK(e.errors()[0].field == "category");
    }
}

TEST_CASE("keyset pages have no duplicates and no gaps while rows are inserted between pages") {
    test::ProductFixture f;
    // Many equal prices, so page boundaries fall inside runs of ties.
    std::vector<std::string> initial;
    for (int i = 0; i < 40; ++i) initial.push_back(f.make("P" + std::to_string(i % 7), 100 * (i % 5)).id);

    for (Sort s : {Sort::PriceAsc, Sort::PriceDesc, Sort::NameAsc, Sort::CreatedAsc, Sort::CreatedDesc}) {
        DYNAMIC_SECTION("sort " << product::to_string(s)) {
            ProductQuery q;
            q.sort = s;
            q.limit = 100;
            auto before = ids_of(f.products.list(q).items);
            REQUIRE(before.size() == initial.size());

            q.limit = 6;
            int inserted = 0;
            auto paged = all_pages(f.products, q, 100, [&] {
                // New rows on both sides of the cursor: cheap and dear, early and late names.
                f.make("A-new" + std::to_string(inserted), 0);
                f.make("Z-new" + std::to_string(inserted), 10000);
                ++inserted;
            });
            auto got = ids_of(paged);
            CHECK(std::set<std::string>(got.begin(), got.end()).size() == got.size());  // no duplicates
            CHECK(sorted_by(paged, s));
            // Every row that existed before paging began appears, in the same relative order.
            std::vector<std::string> old_only;
            std::set<std::string> initial_set(initial.begin(), initial.end());
            for (const auto& id : got)
                if (initial_set.count(id)) old_only.push_back(id);
            CHECK(old_only == before);
            CHECK(inserted > 0);
        }
    }
}

TEST_CASE("limit caps a page, next is absent on the last page, and cursors belong to their sort") {
    test::ProductFixture f;
    for (int i = 0; i < 5; ++i) f.make("P" + std::to_string(i), i);
    ProductQuery q;
    q.limit = 5;
    auto page = f.products.list(q);
    CHECK(page.items.size() == 5);
    CHECK_FALSE(page.next);  // exactly one full page: no empty page to ask for

    q.limit = 2;
    page = f.products.list(q);
    REQUIRE(page.next);
    ProductQuery other = q;
    other.sort = Sort::PriceAsc;
    other.after = page.next;
    CHECK_THROWS_AS(f.products.list(other), shop::Error);
    other.sort = Sort::NameAsc;
    CHECK_THROWS_AS(f.products.list(other), shop::Error);
    other = q;
    other.after = nlohmann::json{{"s", "-created_at"}, {"v", "not a number"}, {"k", 1}};
    CHECK_THROWS_AS(f.products.list(other), shop::Error);
    other.after = nlohmann::json::array();
    CHECK_THROWS_AS(f.products.list(other), shop::Error);
}
