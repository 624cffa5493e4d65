// Options and variants (API.md section 9): the service rules, stock per variant with the
// oversell guarantee, and the product columns read from the variants.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "problem.hpp"
#include "product/product_inventory.hpp"
#include "product/variant_service.hpp"
#include "product_fixture.hpp"

using namespace shop;
using api::Reservation;

namespace {
const api::VariantInfo& size_of(const api::ProductInfo& p, const std::string& size) {
    for (const auto& v : p.variants)
        if (v.options.value("Size", "") == size) return v;
    throw std::runtime_error("no variant of size " + size);
}

api::ProductInfo reread(test::ProductFixture& f, const std::string& id) {
    return *f.products.find(id);
}
}  // namespace

TEST_CASE("a product with options reads price, price_max and stock from its active variants") {
    test::ProductFixture f;
    auto p = f.make_shirt({"S", "M", "L"}, 1000, 4);
    CHECK(p.variants.size() == 3);
    CHECK(p.price == 1000);
    CHECK(p.price_max == 1050);
    CHECK(p.stock == 12);
    auto stored = reread(f, p.id);
    CHECK(stored.price == 1000);
    CHECK(stored.price_max == 1050);
    CHECK(stored.stock == 12);
    CHECK(stored.variants.size() == 3);
    CHECK(stored.variants[0].id != p.id);  // only a plain product's one variant shares its id

    product::VariantService variants(f.t.db(), f.products);
    variants.archive(p.id, size_of(p, "L").id);
    stored = reread(f, p.id);
    CHECK(stored.price_max == 1000);
    CHECK(stored.stock == 8);
    CHECK(stored.version == p.version + 1);
    variants.update(p.id, size_of(p, "S").id, {std::nullopt, 700});
    stored = reread(f, p.id);
    CHECK(stored.price == 700);
    CHECK(stored.price_max == 1000);
    // Archiving twice is no error and changes nothing more.
    variants.archive(p.id, size_of(p, "L").id);
    CHECK(reread(f, p.id).version == stored.version);
}

TEST_CASE("variant rules: combinations, skus and the one variant of a plain product") {
    test::ProductFixture f;
    product::VariantService variants(f.t.db(), f.products);
    auto shirt = f.make_shirt({"S", "M"});
    auto plain = f.make("Mug", 500, 3);
    REQUIRE(plain.variants.size() == 1);
    CHECK(plain.variants[0].id == plain.id);
    CHECK(plain.variants[0].sku == plain.sku);

    auto code = [](const std::function<void()>& fn) { return test::code_of(fn); };
    CHECK(code([&] { variants.add(plain.id, {"X-1", nlohmann::json::object(), 1, 1}); }) == "validation_failed");
    CHECK(code([&] { variants.add(shirt.id, {"X-2", {{"Size", "S"}}, 1, 1}); }) == "validation_failed");
    CHECK(code([&] { variants.add(shirt.id, {"X-3", {{"Fit", "Slim"}}, 1, 1}); }) == "validation_failed");
    CHECK(code([&] { variants.add(shirt.id, {plain.sku, {{"Size", "XL"}}, 1, 1}); }) == "sku_taken");
    CHECK(code([&] { variants.add(shirt.id, {shirt.variants[0].sku, {{"Size", "XL"}}, 1, 1}); }) == "sku_taken");
    CHECK(code([&] { variants.add("prod_missing", {"X-4", {{"Size", "XL"}}, 1, 1}); }) == "not_found");
    CHECK(code([&] { variants.archive(plain.id, plain.id); }) == "validation_failed");
    CHECK(code([&] { variants.archive(shirt.id, plain.id); }) == "not_found");
    CHECK(code([&] { f.products.adjust_stock(shirt.id, 1, std::nullopt); }) == "variant_required");

    // A new value joins its option.
    auto xl = variants.add(shirt.id, {"SHIRT-XL", {{"Size", "XL"}}, 1200, 2});
    auto stored = reread(f, shirt.id);
    CHECK(stored.options[0]["values"] == nlohmann::json::array({"S", "M", "XL"}));
    CHECK(stored.price_max == 1200);
    CHECK(stored.stock == 22);
    CHECK(f.events_of("product.updated").back().second["fields"] == nlohmann::json::array({"options", "variants"}));

    // A plain product's one variant is the product: patching it patches the product.
    auto v = variants.update(plain.id, plain.id, {std::string("MUG-2"), 650});
    CHECK(v.sku == "MUG-2");
    CHECK(reread(f, plain.id).sku == "MUG-2");
    CHECK(reread(f, plain.id).price == 650);

    auto adjusted = variants.adjust_stock(shirt.id, xl.id, -2, std::string("count"));
    CHECK(adjusted.stock == 0);
    CHECK(code([&] { variants.adjust_stock(shirt.id, xl.id, -1, std::nullopt); }) == "insufficient_stock");
    CHECK(reread(f, shirt.id).stock == 20);
    auto event = f.events_of("stock.adjusted").back().second;
    CHECK(event["variant_id"] == xl.id);
    CHECK(event["product_id"] == shirt.id);
}

TEST_CASE("stock is reserved and released per variant, archived variants and products are unavailable") {
    test::ProductFixture f;
    product::ProductInventory inv;
    product::VariantService variants(f.t.db(), f.products);
    auto shirt = f.make_shirt({"S", "M", "L"}, 1000, 3);
    const auto s = size_of(shirt, "S").id, m = size_of(shirt, "M").id, l = size_of(shirt, "L").id;
    auto reserve = [&](std::vector<api::StockLine> lines) {
        return f.t.db().write([&](db::Tx& tx) { return inv.reserve(tx, lines); });
    };

    CHECK(reserve({{s, 2}, {m, 3}}).ok());
    auto p = reread(f, shirt.id);
    CHECK(size_of(p, "S").stock == 1);
    CHECK(size_of(p, "M").stock == 0);
    CHECK(size_of(p, "L").stock == 3);
    CHECK(p.stock == 4);

    auto r = reserve({{l, 1}, {m, 1}});
    CHECK(r.outcome == Reservation::Outcome::Insufficient);
    CHECK(r.variant_id == m);
    CHECK(r.product_id == shirt.id);
    CHECK(size_of(reread(f, shirt.id), "L").stock == 3);  // nothing taken

    f.t.db().write([&](db::Tx& tx) { inv.release(tx, {{m, 3}}); });
    CHECK(size_of(reread(f, shirt.id), "M").stock == 3);
    CHECK(reread(f, shirt.id).stock == 7);

    variants.archive(shirt.id, l);
    r = reserve({{l, 1}});
    CHECK(r.outcome == Reservation::Outcome::Unavailable);
    CHECK(r.variant_id == l);
    // Stock given back to an archived variant is its own, not the product's.
    f.t.db().write([&](db::Tx& tx) { inv.release(tx, {{l, 2}}); });
    CHECK(size_of(reread(f, shirt.id), "L").stock == 5);
    CHECK(reread(f, shirt.id).stock == 4);

    f.products.archive(shirt.id, std::nullopt);
    CHECK(reserve({{s, 1}}).outcome == Reservation::Outcome::Unavailable);
    CHECK(f.t.db().read([&](db::Conn& c) { return inv.available(c, s); }) == 0);
}

TEST_CASE("concurrent buyers of the last units of one variant never oversell it or touch its siblings") {
    test::ProductFixture f;
    product::ProductInventory inv;
    constexpr int kStock = 30, kThreads = 6, kAttempts = 12;
    auto shirt = f.make_shirt({"S", "M"}, 1000, kStock);
    const auto m = size_of(shirt, "M").id;

    core::Config other;
    other.db = f.t.path();
    core::Metrics metrics;
    events::Bus bus;
    auto second = db::open_backend(other, metrics, bus);  // a second process's connection pool

    std::atomic<int> reserved{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        db::Database* dbp = i % 2 ? second.get() : &f.t.db();
        threads.emplace_back([&, dbp] {
            for (int j = 0; j < kAttempts; ++j)
                if (dbp->write([&](db::Tx& tx) { return inv.reserve(tx, {{m, 1}}); }).ok()) ++reserved;
        });
    }
    for (auto& t : threads) t.join();
    CHECK(reserved == kStock);
    auto p = reread(f, shirt.id);
    CHECK(size_of(p, "M").stock == 0);
    CHECK(size_of(p, "S").stock == kStock);
    CHECK(p.stock == kStock);
}

TEST_CASE("a catalogue from before variants migrates to one variant per product, keeping its ids") {
    db::Migrator before;
    const db::Migrator all = test::product_migrations();
    for (const auto& m : all.migrations())
        if (m.version <= 2) before.add(m.module, m.version, m.sqlite_sql, m.postgres_sql);
    test::TestDb t(before);
    t.db().write([](db::Tx& tx) {
        tx.exec("INSERT INTO products (id, sku, name, description, price, currency, stock, category_id, attributes, "
                "images, status, version, created_at, updated_at) VALUES "
                "('prod_old', 'OLD-1', 'Old', '', 750, 'USD', 4, NULL, '{}', '[]', 'active', 3, 1, 2)");
    });
    t.db().migrate(all.migrations());

    product::ProductService products(t.db(), "USD");
    auto p = products.find("prod_old");
    REQUIRE(p);
    CHECK(p->options == nlohmann::json::array());
    CHECK(p->price_max == 750);
    REQUIRE(p->variants.size() == 1);
    CHECK(p->variants[0].id == "prod_old");
    CHECK(p->variants[0].sku == "OLD-1");
    CHECK(p->variants[0].price == 750);
    CHECK(p->variants[0].stock == 4);
    // and it sells through that variant as before
    product::ProductInventory inv;
    CHECK(t.db().write([&](db::Tx& tx) { return inv.reserve(tx, {{"prod_old", 4}}); }).ok());
    CHECK(products.find("prod_old")->stock == 0);
}
