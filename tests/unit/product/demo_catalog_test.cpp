#include "product/demo_catalog.hpp"
#include "product/demo_images.hpp"
#include "product/image_info.hpp"
#include "product/image_service.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>

#include "product/product_catalog.hpp"
#include "product/product_repository.hpp"
#include "product_fixture.hpp"

using namespace shop;
using product::DemoCatalog;

namespace {
nlohmann::json as_json(const DemoCatalog& c) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& k : c.categories) out.push_back({k.key, k.name, k.parent_key ? *k.parent_key : ""});
    for (const auto& p : c.products)
        out.push_back(
            {p.sku, p.name, p.description, p.price, p.stock, p.category_key, p.attributes, p.images, p.age_ms});
    return out;
}
}  // namespace

TEST_CASE("the demo catalogue is the same for the same seed and differs for another") {
    auto a = product::generate_demo_catalog();
    auto b = product::generate_demo_catalog();
    CHECK(as_json(a) == as_json(b));
    auto other = product::generate_demo_catalog(product::kDemoSeed + 1);
    CHECK(as_json(a) != as_json(other));
    // A fixed point, so a change to the generator or its word lists is noticed.
    CHECK(a.products.front().sku == "DEMO-ELEC-00001");
    const auto& last = a.products[a.products.size() - 2];
    CHECK(last.sku == "DEMO-" + last.category_key + "-01200");
    // The newest is the walkthrough's T-shirt, in sizes and colours (issue 20).
    CHECK(a.products.back().sku == "DEMO-TEE");
    CHECK(a.products.back().variants.size() == 8);
}

TEST_CASE("the demo catalogue is large, nested and plausible") {
    auto c = product::generate_demo_catalog();
    CHECK(c.products.size() >= 1000);
    CHECK(c.categories.size() >= 15);
    CHECK(c.categories.size() <= 30);

    std::map<std::string, std::optional<std::string>> parent;
    for (const auto& k : c.categories) {
        if (k.parent_key) CHECK(parent.count(*k.parent_key) == 1);  // parents come first
        parent[k.key] = k.parent_key;
    }
    int nested = 0, deepest = 0;
    for (const auto& [key, p] : parent) {
        int depth = 0;
        for (auto at = p; at; at = parent.at(*at)) ++depth;
        nested += depth > 0;
        deepest = std::max(deepest, depth);
    }
    CHECK(nested >= 5);
    CHECK(deepest >= 2);

    std::set<std::string> skus, used_categories, names;
    std::int64_t last_age = std::numeric_limits<std::int64_t>::max();
    int sold_out = 0;
    for (const auto& p : c.products) {
        skus.insert(p.sku);
        names.insert(p.name);
        used_categories.insert(p.category_key);
        CHECK(parent.count(p.category_key) == 1);
        CHECK(p.price > 0);
        CHECK(p.stock >= 0);
        CHECK(p.name.size() >= 3);
        CHECK(p.description.size() >= 20);
        CHECK(p.attributes.is_object());
        REQUIRE(p.images.is_array());
        CHECK(p.images.at(0).get<std::string>().rfind("https://", 0) == 0);
        CHECK(p.age_ms < last_age);
        last_age = p.age_ms;
        sold_out += p.stock == 0;
    }
    CHECK(skus.size() == c.products.size());
    CHECK(used_categories.size() == c.categories.size());
    CHECK(names.size() > c.products.size() / 2);  // varied, not one name repeated
    CHECK(sold_out > 0);
    CHECK(sold_out < static_cast<int>(c.products.size()) / 5);
}

TEST_CASE("loading the demo catalogue fills an empty database quickly, once") {
    test::ProductFixture f;
    auto c = product::generate_demo_catalog();
    auto start = std::chrono::steady_clock::now();
    CHECK(product::load_demo_catalog(f.t.db(), "USD", c) == c.products.size());
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(took < std::chrono::seconds(3));

    product::ProductRepository repo;
    CHECK(f.t.db().read([&](db::Conn& conn) { return repo.count(conn); }) ==
          static_cast<std::int64_t>(c.products.size()));
    CHECK(f.events_of("product.created").size() == c.products.size());
    CHECK(f.events_of("category.created").size() == c.categories.size());

    // The list shows the newest first and a top-level category covers its subtree.
    product::ProductQuery q;
    q.limit = 100;
    auto page = f.products.list(q);
    CHECK(page.items.size() == 100);
    CHECK(page.items.front().sku == c.products.back().sku);
    CHECK(page.items.front().currency == "USD");

    product::ProductCatalog catalog;
    auto categories = f.t.db().read([&](db::Conn& conn) { return catalog.categories(conn); });
    auto electronics =
        std::find_if(categories.begin(), categories.end(), [](const auto& k) { return k.name == "Electronics"; });
    REQUIRE(electronics != categories.end());
    q.filter.category = electronics->id;
    std::set<std::string> prefixes;
    for (int i = 0; i < 50; ++i) {
        auto p = f.products.list(q);
        for (const auto& item : p.items) prefixes.insert(item.sku.substr(0, item.sku.rfind('-')));
        if (!p.next) break;
        q.after = p.next;
    }
    // Electronics, its children, and a grandchild (Audio > Headphones); nothing else.
    CHECK(prefixes == std::set<std::string>{"DEMO-ELEC", "DEMO-AUDIO", "DEMO-HEAD", "DEMO-COMP", "DEMO-MOBI"});

    // A second start with --demo leaves the catalogue alone.
    CHECK(product::load_demo_catalog(f.t.db(), "USD", c) == 0);
    CHECK(f.t.db().read([&](db::Conn& conn) { return repo.count(conn); }) ==
          static_cast<std::int64_t>(c.products.size()));
}

TEST_CASE("the demo catalogue is not loaded over existing products") {
    test::ProductFixture f;
    f.make("Mine", 100);
    CHECK(product::load_demo_catalog(f.t.db(), "USD", product::generate_demo_catalog()) == 0);
    product::ProductRepository repo;
    CHECK(f.t.db().read([&](db::Conn& conn) { return repo.count(conn); }) == 1);
}

TEST_CASE("the demo catalogue's first products of each category show a generated image") {
    test::ProductFixture f;
    auto c = product::generate_demo_catalog();
    product::load_demo_catalog(f.t.db(), "USD", c);
    product::ImageService images(f.t.db());
    auto rows = f.t.db().read([](db::Conn& conn) {
        return conn.query("SELECT i.id, p.images FROM product_images i JOIN products p ON p.id = i.product_id");
    });
    std::set<std::string> keys;
    for (const auto& p : c.products) keys.insert(p.category_key);
    CHECK(rows.size() == 2 * keys.size());  // every demo category has at least two products
    for (const auto& r : rows) {
        const std::string id = r.str(0);
        CHECK(nlohmann::json::parse(r.str(1)) == nlohmann::json::array({product::media_url(id)}));
        auto file = images.media(id);
        REQUIRE(file);
        auto info = product::inspect_image(file->data);
        REQUIRE(info);
        CHECK((info->content_type == "image/png" && info->width == 64 && info->height == 64));
    }
    // One picture per category: the same category draws the same bytes, another differs.
    CHECK(product::demo_image_png("HOME") == product::demo_image_png("HOME"));
    CHECK(product::demo_image_png("HOME") != product::demo_image_png("BOOK"));
}

TEST_CASE("the demo catalogue sells clothes in sizes and colours, every variant valid") {
    auto c = product::generate_demo_catalog();
    std::set<std::string> skus;
    std::size_t with_options = 0;
    for (const auto& p : c.products) {
        CHECK(skus.insert(p.sku).second);
        if (p.options.empty()) {
            CHECK(p.variants.empty());
            continue;
        }
        ++with_options;
        CHECK((p.category_key == "MEN" || p.category_key == "WOMEN" || p.category_key == "SHOE"));
        std::vector<FieldError> errors;
        product::check_options(p.options, errors);
        product::check_variants(p.options, p.variants, errors);
        CHECK(errors.empty());
        std::int64_t stock = 0;
        for (const auto& v : p.variants) {
            CHECK(skus.insert(v.sku).second);
            stock += v.stock;
        }
        CHECK(p.stock == stock);
        CHECK(p.variants.size() == p.options[0]["values"].size() * p.options[1]["values"].size());
    }
    CHECK(with_options >= 50);

    // Loaded, they read back with their variants, and price is the lowest variant's.
    test::ProductFixture f;
    product::load_demo_catalog(f.t.db(), "USD", c);
    const auto& shirt = *std::find_if(c.products.begin(), c.products.end(), [](const auto& p) { return !p.options.empty(); });
    product::ProductQuery q;
    q.limit = 5;
    q.filter.options = {{"Size", shirt.variants.front().options["Size"].get<std::string>()}};
    auto page = f.products.list(q);
    REQUIRE_FALSE(page.items.empty());
    for (const auto& p : page.items) {
        CHECK(p.has_options());
        std::int64_t lowest = p.variants.front().price;
        for (const auto& v : p.variants) lowest = std::min(lowest, v.price);
        CHECK(p.price == lowest);
    }
}
