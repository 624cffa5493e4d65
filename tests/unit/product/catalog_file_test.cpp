// The catalogue file (API.md section 9): CSV out, CSV in, all rows or none.
#include <catch2/catch.hpp>

#include "problem.hpp"
#include "product/catalog_file.hpp"
#include "product_fixture.hpp"
#include "shop/core/csv.hpp"

using namespace shop;

namespace {
std::string file(const std::vector<std::vector<std::string>>& rows) {
    std::string out;
    for (const auto& r : rows) csv::append_record(out, r);
    return out;
}

const std::vector<std::string> kHeader = {"product_id", "variant_id", "sku",   "name",  "description",
                                          "category_id", "price",     "stock", "status"};

std::vector<FieldError> errors_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.errors();
    }
    FAIL("no error");
    return {};
}
}  // namespace

TEST_CASE("an exported catalogue reads back as the same rows and imports as no change") {
    test::ProductFixture f;
    product::CatalogFile files(f.t.db(), f.products);
    product::NewProduct odd;
    odd.sku = "ODD-1";
    odd.name = "Comma, \"quote\"";
    odd.description = "line one\r\nline two, with ünïcode";
    odd.price = 1;
    f.products.create(odd);
    auto shirt = f.make_shirt({"S", "M"});

    const std::string text = files.export_csv();
    auto rows = csv::parse(text);
    REQUIRE(rows.size() == 4);
    auto header = kHeader;
    header.push_back("option:Size");
    CHECK(rows[0] == header);
    CHECK(rows[1][3] == odd.name);
    CHECK(rows[1][4] == odd.description);
    CHECK(rows[1][9].empty());
    CHECK(rows[2][0] == shirt.id);
    CHECK(rows[2][9] == "S");

    const auto version = f.products.find(shirt.id)->version;
    auto result = files.import_csv(text);
    CHECK(result.created == 0);
    CHECK(result.updated == 0);
    CHECK(f.products.find(shirt.id)->version == version);
    CHECK(files.export_csv() == text);
}

TEST_CASE("an import with bad rows names each of them and changes nothing") {
    test::ProductFixture f;
    product::CatalogFile files(f.t.db(), f.products);
    auto kept = f.make("Kept", 100, 5);
    const std::string before = files.export_csv();
    auto errors = errors_of([&] {
        files.import_csv(file({kHeader,
                               {"", "", "NEW-1", "Fine", "", "", "100", "1", ""},
                               {"", "", kept.sku, "Kept", "", "", "abc", "5", "active"},
                               {"", "", "NEW-1", "Twice", "", "", "1", "1", ""},
                               {"", kept.id, "NEW-2", "x", "", "", "1", "1", ""}}));
    });
    std::set<std::pair<std::int64_t, std::string>> named;
    for (const auto& e : errors) named.emplace(e.row.value_or(-1), e.field);
    CHECK(named == std::set<std::pair<std::int64_t, std::string>>{{2, "price"}, {3, "sku"}, {4, "variant_id"}});
    CHECK(files.export_csv() == before);

    // A quote that never closes: the row it starts on.
    errors = errors_of([&] { files.import_csv("sku,name,price\r\nA,ok,1\r\n\"B,broken,2\r\n"); });
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].row == 2);
    errors = errors_of([&] { files.import_csv("sku,name,price,colour\r\nA,x,1,red\r\n"); });
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].row == 0);
    CHECK(errors[0].field == "colour");
    CHECK(files.export_csv() == before);
}

TEST_CASE("an import updates by sku, adds variants and groups new rows with options into one product") {
    test::ProductFixture f;
    product::CatalogFile files(f.t.db(), f.products);
    auto mug = f.make("Mug", 100, 5);
    auto shirt = f.make_shirt({"S"});
    auto result = files.import_csv(file({
        {"sku", "name", "price", "stock", "option:Size", "product_id"},
        {mug.sku, "Mug", "120", "5", "", ""},              // price only
        {"SHIRT-NEW-M", shirt.name, "1100", "4", "M", shirt.id},  // a new value of Size
        {"CAP-S", "Cap", "500", "1", "S", ""},
        {"CAP-M", "Cap", "550", "2", "M", ""},
    }));
    CHECK(result.created == 3);
    CHECK(result.updated == 1);
    CHECK(f.products.find(mug.id)->price == 120);
    auto grown = *f.products.find(shirt.id);
    CHECK(grown.options[0]["values"] == nlohmann::json::array({"S", "M"}));
    CHECK(grown.variants.size() == 2);
    CHECK(grown.stock == 14);

    product::ProductQuery q;
    q.filter.options = {{"Size", "M"}};
    auto page = f.products.list(q);
    REQUIRE(page.items.size() == 2);
    const auto& cap = page.items[0].name == "Cap" ? page.items[0] : page.items[1];
    CHECK(cap.sku == "CAP-S");
    CHECK(cap.variants.size() == 2);
    CHECK(cap.price == 500);
    CHECK(cap.price_max == 550);
    CHECK(cap.stock == 3);
}
