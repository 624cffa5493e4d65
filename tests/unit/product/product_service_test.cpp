// Product rules: creation, versions and preconditions, sku uniqueness, archive, stock
// adjustments, and the events each change records.
#include <catch2/catch.hpp>

#include "problem.hpp"

#include "product/conditional.hpp"
#include "product/product_json.hpp"
#include "product_fixture.hpp"
#include "shop/core/error.hpp"

using namespace shop;
using product::ProductPatch;

namespace {

// Runs f, which must throw Error; returns it for inspection.
template <class F>
shop::Error api_error(F&& f) {
    try {
        f();
    } catch (const shop::Error& e) {
        return e;
    }
    FAIL("no Error was thrown");
    return shop::Error("", "");
}

}  // namespace

TEST_CASE("create stores every field, starts at version 1, and records product.created") {
    test::ProductFixture f;
    auto cat = f.categories.create("Kitchen", std::nullopt);
    product::NewProduct in;
    in.sku = "MUG-1";
    in.name = "Mug \"Classic\" ☕";
    in.description = "Holds coffee.";
    in.price = 1299;
    in.stock = 7;
    in.category_id = cat.id;
    in.attributes = {{"color", "blue"}, {"capacity_ml", 350}};
    in.images = {"https://img.example.com/mug.jpg"};
    auto p = f.products.create(in);

    CHECK(p.id.rfind("prod_", 0) == 0);
    CHECK(p.version == 1);
    CHECK(p.status == "active");
    CHECK(p.currency == "USD");
    auto stored = f.products.find(p.id);
    REQUIRE(stored);
    auto j = product::product_json(*stored);
    CHECK(j["sku"] == "MUG-1");
    CHECK(j["name"] == "Mug \"Classic\" ☕");
    CHECK(j["description"] == "Holds coffee.");
    CHECK(j["price"] == 1299);
    CHECK(j["currency"] == "USD");
    CHECK(j["stock"] == 7);
    CHECK(j["category_id"] == cat.id);
    CHECK(j["attributes"] == nlohmann::json{{"color", "blue"}, {"capacity_ml", 350}});
    CHECK(j["images"] == nlohmann::json{"https://img.example.com/mug.jpg"});
    CHECK(j["status"] == "active");
    CHECK(j["version"] == 1);
    CHECK(j["created_at"].get<std::string>().size() == 20);  // 2026-11-25T17:40:44Z
    CHECK(j["updated_at"] == j["created_at"]);

    auto created = f.events_of("product.created");
    REQUIRE(created.size() == 1);
    CHECK(created[0].second["product_id"] == p.id);
    CHECK(created[0].second["category_id"] == cat.id);
    CHECK(created[0].second["price"] == 1299);
    CHECK(created[0].second["stock"] == 7);
}

TEST_CASE("create refuses a taken sku, an unknown category and a foreign currency") {
    test::ProductFixture f;
    f.make("First", 100);  // SKU-1
    product::NewProduct dup;
    dup.sku = "SKU-1";
    dup.name = "Second";
    auto e = api_error([&] { f.products.create(dup); });
    CHECK(test::status_of(e) == 409);
    CHECK(e.code() == "sku_taken");

    product::NewProduct bad_cat;
    bad_cat.sku = "X";
    bad_cat.name = "X";
    bad_cat.category_id = "cat_missing";
    e = api_error([&] { f.products.create(bad_cat); });
    CHECK(test::status_of(e) == 422);
    CHECK(e.errors().at(0).field == "category_id");

    product::NewProduct eur;
    eur.sku = "Y";
    eur.name = "Y";
    eur.currency = "EUR";
    e = api_error([&] { f.products.create(eur); });
    CHECK(test::status_of(e) == 422);
    CHECK(e.errors().at(0).field == "currency");

    eur.currency = "USD";
    CHECK(f.products.create(eur).currency == "USD");
    CHECK(f.events_of("product.created").size() == 2);
}

TEST_CASE("update bumps the version once per change and names the changed fields") {
    test::ProductFixture f;
    auto p = f.make("Lamp", 2500);
    ProductPatch patch;
    patch.name = "Desk Lamp";
    patch.price = 2700;
    patch.attributes = nlohmann::json{{"watts", 8}};
    auto u = f.products.update(p.id, patch, std::nullopt);
    CHECK(u.version == 2);
    CHECK(u.name == "Desk Lamp");
    CHECK(u.price == 2700);
    CHECK(u.sku == p.sku);
    CHECK(u.updated_at_ms >= p.updated_at_ms);
    CHECK(f.products.find(p.id)->version == 2);

    auto updated = f.events_of("product.updated");
    REQUIRE(updated.size() == 1);
    CHECK(updated[0].second["product_id"] == p.id);
    CHECK(updated[0].second["version"] == 2);
    CHECK(updated[0].second["fields"] == nlohmann::json{"name", "price", "attributes"});

    // The same values again change nothing: no new version, no event.
    auto same = f.products.update(p.id, patch, std::nullopt);
    CHECK(same.version == 2);
    CHECK(f.events_of("product.updated").size() == 1);

    // A category can be set and removed again.
    auto cat = f.categories.create("Lighting", std::nullopt);
    ProductPatch set_cat;
    set_cat.category_id.emplace(cat.id);
    CHECK(f.products.update(p.id, set_cat, std::nullopt).category_id == cat.id);
    ProductPatch clear_cat;
    clear_cat.category_id.emplace(std::nullopt);
    auto cleared = f.products.update(p.id, clear_cat, std::nullopt);
    CHECK_FALSE(cleared.category_id);
    CHECK(cleared.version == 4);
}

TEST_CASE("update honours If-Match: stale is 412, current or * applies") {
    test::ProductFixture f;
    auto p = f.make("Chair", 9900);
    ProductPatch patch;
    patch.price = 9500;
    auto e = api_error([&] { f.products.update(p.id, patch, std::string("\"7\"")); });
    CHECK(test::status_of(e) == 412);
    CHECK(e.code() == "precondition_failed");
    CHECK(f.products.find(p.id)->price == 9900);

    CHECK(f.products.update(p.id, patch, product::etag_for(1)).version == 2);
    patch.price = 9400;
    e = api_error([&] { f.products.update(p.id, patch, product::etag_for(1)); });
    CHECK(test::status_of(e) == 412);
    CHECK(f.products.update(p.id, patch, std::string("*")).version == 3);

    e = api_error([&] { f.products.update("prod_missing", patch, std::nullopt); });
    CHECK(test::status_of(e) == 404);
    CHECK(e.code() == "not_found");
}

TEST_CASE("update refuses a sku another product has and an unknown category") {
    test::ProductFixture f;
    auto a = f.make("A", 1);
    auto b = f.make("B", 1);
    ProductPatch patch;
    patch.sku = a.sku;
    auto e = api_error([&] { f.products.update(b.id, patch, std::nullopt); });
    CHECK(test::status_of(e) == 409);
    CHECK(e.code() == "sku_taken");
    // Its own sku is no conflict.
    patch.sku = b.sku;
    CHECK(f.products.update(b.id, patch, std::nullopt).version == 1);

    ProductPatch cat;
    cat.category_id.emplace("cat_missing");
    e = api_error([&] { f.products.update(b.id, cat, std::nullopt); });
    CHECK(test::status_of(e) == 422);
    CHECK(e.errors().at(0).field == "category_id");
}

TEST_CASE("archive keeps the product readable, hides it from lists, and is idempotent") {
    test::ProductFixture f;
    auto p = f.make("Old", 100);
    f.products.archive(p.id, std::nullopt);
    auto a = f.products.find(p.id);
    REQUIRE(a);
    CHECK(a->status == "archived");
    CHECK(a->version == 2);
    f.products.archive(p.id, std::nullopt);
    CHECK(f.products.find(p.id)->version == 2);
    CHECK(f.events_of("product.archived").size() == 1);
    CHECK(f.events_of("product.archived")[0].second["product_id"] == p.id);
    product::ProductQuery q;
    CHECK(f.products.list(q).items.empty());
    CHECK(test::status_of(api_error([&] { f.products.archive("prod_missing", std::nullopt); })) == 404);
    auto fresh = f.make("New", 100);
    CHECK(test::status_of(api_error([&] { f.products.archive(fresh.id, std::string("\"9\"")); })) == 412);
    CHECK(f.products.find(fresh.id)->status == "active");
}

TEST_CASE("stock adjustments never go below zero and are recorded") {
    test::ProductFixture f;
    auto p = f.make("Socks", 500, 3);
    CHECK(f.products.adjust_stock(p.id, 7, std::string("restock")) == 10);
    CHECK(f.products.adjust_stock(p.id, -10, std::nullopt) == 0);
    auto e = api_error([&] { f.products.adjust_stock(p.id, -1, std::string("oops")); });
    CHECK(test::status_of(e) == 409);
    CHECK(e.code() == "insufficient_stock");
    CHECK(e.extra()["product_id"] == p.id);
    auto now = f.products.find(p.id);
    CHECK(now->stock == 0);
    CHECK(now->version == 3);

    CHECK(test::status_of(api_error([&] { f.products.adjust_stock("prod_missing", 1, std::nullopt); })) == 404);

    auto adjusted = f.events_of("stock.adjusted");
    REQUIRE(adjusted.size() == 2);
    CHECK(adjusted[0].second ==
          nlohmann::json{{"product_id", p.id}, {"variant_id", p.id}, {"delta", 7}, {"stock", 10}, {"reason", "restock"}});
    CHECK(adjusted[1].second["stock"] == 0);
    CHECK(adjusted[1].second["reason"].is_null());
}

TEST_CASE("text with quotes and SQL fragments is stored as data") {
    test::ProductFixture f;
    for (std::string name : {"'; DROP TABLE products; --", "\"quoted\"", "Ünïcødé 商品 🚀", "a\\b%_"}) {
        auto p = f.make(name, 1);
        CHECK(f.products.find(p.id)->name == name);
    }
    product::ProductQuery q;
    CHECK(f.products.list(q).items.size() == 4);
}
