#include "product/product_json.hpp"

#include <catch2/catch.hpp>

using namespace shop::product;

namespace {
std::string dumped(const shop::api::ProductInfo& p) {
    return product_json(p).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
}  // namespace

TEST_CASE("product_body writes exactly what dumping product_json writes") {
    shop::api::ProductInfo p;
    p.id = "prod_01";
    p.sku = "SKU-1";
    p.name = "Mug";
    p.description = "plain";
    p.price = 1999;
    p.currency = "EUR";
    p.stock = 0;
    p.status = "active";
    p.version = 7;
    p.created_at_ms = 1700000000123;
    p.updated_at_ms = 1700000100999;
    CHECK(product_body(p) == dumped(p));

    // Escapes, control characters, non-ASCII and invalid UTF-8, nulls and nested values.
    p.name = "quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f bell \x07 unit \x1f del \x7f";
    p.description = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 and a broken \xc3( byte";
    p.sku = "\xff";
    p.category_id = "cat_\"1\"";
    p.attributes = {{"colour", "red \"x\""}, {"size", 3}, {"nested", {{"a", nullptr}, {"b", {1, 2.5, true}}}}};
    p.images = {"https://img.test/a.png", "https://img.test/\xc3\xa9.png"};
    p.price = -5;
    p.created_at_ms = -1;
    CHECK(product_body(p) == dumped(p));

    // Variants, with and without options, one archived.
    p.options = {{{"name", "Size"}, {"values", {"S", "M"}}}};
    p.variants = {{"var_1", "prod_01", "SKU-1-S", {{"Size", "S"}}, 100, 3, "active"},
                  {"var_2", "prod_01", "SKU-\"2\"", {{"Size", "M \xc3\xa9"}}, 200, 0, "archived"}};
    CHECK(product_body(p) == dumped(p));
    p.variants = {{"var_3", "prod_01", "SKU-1", nlohmann::json::object(), 5, 1, "active"}};
    CHECK(product_body(p) == dumped(p));

    p.category_id.reset();
    p.attributes = nlohmann::json::object();
    p.images = nlohmann::json::array();
    p.name.clear();
    CHECK(product_body(p) == dumped(p));
}
