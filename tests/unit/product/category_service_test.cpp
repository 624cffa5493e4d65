#include <catch2/catch.hpp>

#include "problem.hpp"
#include <set>

#include "product/product_catalog.hpp"
#include "product_fixture.hpp"
#include "shop/core/error.hpp"

using namespace shop;

TEST_CASE("categories nest under existing parents only and record category.created") {
    test::ProductFixture f;
    auto root = f.categories.create("Books", std::nullopt);
    auto child = f.categories.create("Fiction", root.id);
    CHECK(root.id.rfind("cat_", 0) == 0);
    CHECK_FALSE(root.parent_id);
    CHECK(child.parent_id == root.id);
    try {
        f.categories.create("Orphan", std::string("cat_missing"));
        FAIL("an unknown parent was accepted");
    } catch (const shop::Error& e) {
        CHECK(test::status_of(e) == 422);
        CHECK(e.errors().at(0).field == "parent_id");
    }
    auto events = f.events_of("category.created");
    REQUIRE(events.size() == 2);
    CHECK(events[0].second == nlohmann::json{{"category_id", root.id}, {"parent_id", nullptr}});
    CHECK(events[1].second == nlohmann::json{{"category_id", child.id}, {"parent_id", root.id}});
}

TEST_CASE("categories page in creation order") {
    test::ProductFixture f;
    std::vector<std::string> made;
    for (int i = 0; i < 7; ++i) made.push_back(f.categories.create("C" + std::to_string(i), std::nullopt).id);
    std::vector<std::string> seen;
    std::optional<std::int64_t> after;
    for (int page = 0; page < 10; ++page) {
        auto rows = f.categories.list(after, 3);
        for (const auto& c : rows) seen.push_back(c.category.id);
        if (rows.size() < 3) break;
        after = rows.back().seq;
    }
    CHECK(seen == made);
}

TEST_CASE("the Catalog interface reads products and categories through the caller's connection") {
    test::ProductFixture f;
    product::ProductCatalog catalog;
    auto root = f.categories.create("Garden", std::nullopt);
    auto sub = f.categories.create("Tools", root.id);
    auto a = f.make("Rake", 1500, 4, sub.id);
    auto b = f.make("Hose", 2500, 0);
    f.products.archive(b.id, std::nullopt);

    f.t.db().read([&](db::Conn& c) {
        auto got = catalog.products(c, {b.id, "prod_missing", a.id});
        REQUIRE(got.size() == 2);
        CHECK(got[0].id == b.id);
        CHECK_FALSE(got[0].active());
        CHECK(got[1].id == a.id);
        CHECK(catalog.product(c, a.id)->category_id == sub.id);
        CHECK_FALSE(catalog.product(c, "prod_missing"));
        CHECK(catalog.categories(c).size() == 2);
        auto tree = catalog.category_subtree(c, root.id);
        CHECK(std::set<std::string>(tree.begin(), tree.end()) == std::set<std::string>{root.id, sub.id});
        CHECK(catalog.to_json(got[1])["price"] == 1500);
    });
    // Inside a write, the caller's own uncommitted change is visible.
    f.t.db().write([&](db::Tx& tx) {
        product::VariantRepository repo;
        CHECK(repo.adjust_stock(tx, a.id, a.id, -3, 0)->stock == 1);
        CHECK(catalog.product(tx, a.id)->stock == 1);
    });
}

namespace {
std::string code_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const shop::Error& e) {
        return e.code() + (e.errors().empty() ? "" : ":" + e.errors().front().field);
    }
    return "no error";
}
}  // namespace

TEST_CASE("categories rename and move, never under themselves, with category.updated") {
    test::ProductFixture f;
    auto a = f.categories.create("A", std::nullopt);
    auto b = f.categories.create("B", a.id);
    auto c = f.categories.create("C", b.id);
    auto other = f.categories.create("Other", std::nullopt);

    product::CategoryChange rename;
    rename.name = "Alpha";
    CHECK(f.categories.update(a.id, rename).name == "Alpha");
    CHECK(f.categories.find(a.id)->name == "Alpha");

    // A move under itself or any descendant would make a cycle: refused, nothing changed.
    for (const auto& target : {a.id, b.id, c.id}) {
        product::CategoryChange move;
        move.parent_id.emplace(target);
        CHECK(code_of([&] { f.categories.update(a.id, move); }) == "validation_failed:parent_id");
    }
    CHECK_FALSE(f.categories.find(a.id)->parent_id);
    product::CategoryChange unknown;
    unknown.parent_id.emplace("cat_missing");
    CHECK(code_of([&] { f.categories.update(b.id, unknown); }) == "validation_failed:parent_id");

    // Moving a subtree elsewhere, and back to the top.
    product::CategoryChange move;
    move.parent_id.emplace(other.id);
    CHECK(f.categories.update(b.id, move).parent_id == other.id);
    product::CategoryChange top;
    top.parent_id.emplace(std::nullopt);
    CHECK_FALSE(f.categories.update(b.id, top).parent_id);
    CHECK(f.categories.find(c.id)->parent_id == b.id);  // children travel with it

    // An unchanged PATCH writes no event.
    CHECK(f.categories.update(b.id, top).id == b.id);
    auto events = f.events_of("category.updated");
    REQUIRE(events.size() == 3);
    CHECK(events[0].second == nlohmann::json{{"category_id", a.id}, {"fields", {"name"}}, {"parent_id", nullptr}});
    CHECK(events[1].second == nlohmann::json{{"category_id", b.id}, {"fields", {"parent_id"}}, {"parent_id", other.id}});
    CHECK(events[2].second == nlohmann::json{{"category_id", b.id}, {"fields", {"parent_id"}}, {"parent_id", nullptr}});
    CHECK(code_of([&] { f.categories.update("cat_missing", rename); }) == "not_found");
}

TEST_CASE("only an empty category is deleted") {
    test::ProductFixture f;
    auto parent = f.categories.create("Parent", std::nullopt);
    auto child = f.categories.create("Child", parent.id);
    CHECK(code_of([&] { f.categories.remove(parent.id); }) == "category_not_empty");
    auto p = f.make("Lamp", 1000, 1, child.id);
    f.products.archive(p.id, std::nullopt);  // archived products still name their category
    CHECK(code_of([&] { f.categories.remove(child.id); }) == "category_not_empty");
    CHECK(f.categories.find(child.id));

    auto empty = f.categories.create("Empty", parent.id);
    f.categories.remove(empty.id);
    CHECK_FALSE(f.categories.find(empty.id));
    CHECK(code_of([&] { f.categories.remove(empty.id); }) == "not_found");
    CHECK(f.events_of("category.deleted").size() == 1);
}
