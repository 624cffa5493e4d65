#include <catch2/catch.hpp>

#include "order/pricing.hpp"
#include "problem.hpp"
#include "shop/core/error.hpp"

using namespace shop;
using namespace shop::order;
using pricing::Input;
using pricing::Line;

namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;

Discount code(DiscountType type, std::int64_t value) {
    Discount d;
    d.id = "disc_1";
    d.code = "SAVE";
    d.type = type;
    d.value = value;
    return d;
}

Input order_of(std::vector<Line> lines) {
    Input in;
    in.lines = std::move(lines);
    in.country = "DE";
    in.now_ms = kNow;
    return in;
}

void with_code(Input& in, Discount d) {
    in.discount_code = "save";
    in.discount = std::move(d);
}

ShippingRate rate(std::string id, std::int64_t price) {
    ShippingRate r;
    r.id = std::move(id);
    r.name = "Standard";
    r.price = price;
    return r;
}

void ships_with(Input& in, std::vector<ShippingRate> rates, std::optional<std::string> chosen) {
    ShippingZone z;
    z.id = "zone_1";
    z.countries = {"DE"};
    z.rates = std::move(rates);
    in.shop_has_zones = true;
    in.zone = std::move(z);
    in.shipping_rate_id = std::move(chosen);
}

TaxRate tax(std::string country, std::string region, std::int64_t bp, bool shipping = false) {
    TaxRate t;
    t.id = "tax_" + country + region;
    t.country = std::move(country);
    t.region = std::move(region);
    t.rate_bp = bp;
    t.shipping_taxable = shipping;
    return t;
}

std::vector<std::int64_t> line_discounts(const pricing::Priced& p) {
    std::vector<std::int64_t> out;
    for (const auto& l : p.lines) out.push_back(l.discount);
    return out;
}

std::vector<std::int64_t> line_taxes(const pricing::Priced& p) {
    std::vector<std::int64_t> out;
    for (const auto& l : p.lines) out.push_back(l.tax);
    return out;
}

std::string error_of(const Input& in) {
    return test::code_of([&] { pricing::price(in); });
}

std::string detail_of(const Input& in) {
    try {
        pricing::price(in);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("without codes, zones or tax an order costs the sum of its lines") {
    auto p = pricing::price(order_of({{"p1", {}, 1250, 2}, {"p2", {}, 99, 3}}));
    CHECK(p.subtotal == 2797);
    CHECK(p.discount_total == 0);
    CHECK(p.shipping_total == 0);
    CHECK(p.tax_total == 0);
    CHECK(p.total == 2797);
    CHECK_FALSE(p.shipping);
    CHECK_FALSE(p.discount);
    CHECK(p.shipping_options.empty());
}

TEST_CASE("a percentage is rounded half up and split so the lines add up exactly") {
    // 10 % of 1666 is 166.6: 167 off. 1000, 333 and 333 get 100, 33 and 33 by proportion;
    // the cent left over goes to the largest line.
    auto in = order_of({{"p1", {}, 1000, 1}, {"p2", {}, 333, 1}, {"p3", {}, 333, 1}});
    with_code(in, code(DiscountType::Percentage, 10));
    auto p = pricing::price(in);
    CHECK(p.discount_total == 167);
    CHECK(line_discounts(p) == std::vector<std::int64_t>{101, 33, 33});
    CHECK(p.total == 1666 - 167);
    REQUIRE(p.discount);
    CHECK(p.discount->code == "SAVE");
    CHECK(p.discount->amount == 167);

    // Exactly half a cent rounds up: 5 % of 10 is 0.5.
    auto half = order_of({{"p1", {}, 10, 1}});
    with_code(half, code(DiscountType::Percentage, 5));
    CHECK(pricing::price(half).discount_total == 1);

    // 100 % makes the lines free.
    auto all = order_of({{"p1", {}, 999, 3}});
    with_code(all, code(DiscountType::Percentage, 100));
    CHECK(pricing::price(all).total == 0);
}

TEST_CASE("what the rounded-down shares leave never takes a line's discount above its total") {
    // Regression (fuzz_pricing): 88 % of 13 is 11; the shares of 3, 3, 3, 2 and 2 are 2, 2, 2,
    // 1 and 1, leaving 3, which the largest line alone (3, with 2 already) cannot take.
    auto in = order_of({{"p1", {}, 1, 3}, {"p2", {}, 1, 3}, {"p3", {}, 1, 3}, {"p4", {}, 1, 2}, {"p5", {}, 1, 2}});
    with_code(in, code(DiscountType::Percentage, 88));
    auto p = pricing::price(in);
    CHECK(p.discount_total == 11);
    CHECK(line_discounts(p) == std::vector<std::int64_t>{3, 3, 3, 1, 1});
    CHECK(p.total == 2);
}

TEST_CASE("a fixed discount never takes more than the eligible lines cost") {
    auto in = order_of({{"p1", {}, 1200, 1}, {"p2", {}, 800, 1}});
    auto d = code(DiscountType::Fixed, 5000);
    d.product_ids = {"p2"};
    with_code(in, d);
    auto p = pricing::price(in);
    CHECK(p.discount_total == 800);
    CHECK(line_discounts(p) == std::vector<std::int64_t>{0, 800});
    CHECK(p.total == 1200);
}

TEST_CASE("a fixed discount is split in proportion to the eligible lines") {
    // 100 over 300 and 600 (p3 is not eligible): 33 and 66, the cent left to the larger.
    auto in = order_of({{"p1", {}, 300, 1}, {"p2", {}, 200, 3}, {"p3", {}, 5000, 1}});
    auto d = code(DiscountType::Fixed, 100);
    d.product_ids = {"p1", "p2"};
    with_code(in, d);
    auto p = pricing::price(in);
    CHECK(line_discounts(p) == std::vector<std::int64_t>{33, 67, 0});
    CHECK(p.discount_total == 100);
}

TEST_CASE("a code for a category reaches the lines of its descendants") {
    auto in = order_of({{"p1", std::string("cat_shirts"), 1000, 1}, {"p2", std::string("cat_mugs"), 1000, 1}});
    auto d = code(DiscountType::Percentage, 50);
    d.category_ids = {"cat_apparel"};
    with_code(in, d);
    in.discount_categories = {"cat_apparel", "cat_shirts"};  // the caller expands the tree
    auto p = pricing::price(in);
    CHECK(line_discounts(p) == std::vector<std::int64_t>{500, 0});
}

TEST_CASE("a code that does not apply says why") {
    auto in = order_of({{"p1", {}, 1000, 1}});
    in.discount_code = "nope";
    CHECK(error_of(in) == "discount_invalid");
    CHECK_THAT(detail_of(in), Catch::Contains("does not exist"));

    auto inactive = code(DiscountType::Percentage, 10);
    inactive.active = false;
    with_code(in, inactive);
    CHECK_THAT(detail_of(in), Catch::Contains("no longer active"));

    auto later = code(DiscountType::Percentage, 10);
    later.starts_at_ms = kNow + 1;
    with_code(in, later);
    CHECK_THAT(detail_of(in), Catch::Contains("not started"));

    auto ended = code(DiscountType::Percentage, 10);
    ended.ends_at_ms = kNow;  // the end is exclusive
    with_code(in, ended);
    CHECK_THAT(detail_of(in), Catch::Contains("ended"));

    auto minimum = code(DiscountType::Fixed, 100);
    minimum.min_subtotal = 1001;
    with_code(in, minimum);
    CHECK(error_of(in) == "discount_invalid");
    CHECK_THAT(detail_of(in), Catch::Contains("at least 1001"));
    minimum.min_subtotal = 1000;
    with_code(in, minimum);
    CHECK(pricing::price(in).discount_total == 100);

    auto elsewhere = code(DiscountType::Percentage, 10);
    elsewhere.product_ids = {"p9"};
    with_code(in, elsewhere);
    CHECK_THAT(detail_of(in), Catch::Contains("none of these items"));
}

TEST_CASE("shipping: the rates that apply to the discounted subtotal, free over a threshold") {
    auto in = order_of({{"p1", {}, 6000, 1}});
    auto standard = rate("rate_std", 500);
    standard.free_over = 5000;
    auto cheap_only = rate("rate_small", 300);
    cheap_only.max_subtotal = 5000;  // [0, 5000)
    auto big_only = rate("rate_big", 900);
    big_only.min_subtotal = 5000;  // [5000, inf)
    ships_with(in, {standard, cheap_only, big_only}, "rate_std");
    auto p = pricing::price(in);
    REQUIRE(p.shipping_options.size() == 2);
    CHECK(p.shipping_options[0].rate_id == "rate_std");
    CHECK(p.shipping_options[0].price == 0);  // 6000 >= free_over
    CHECK(p.shipping_options[1].rate_id == "rate_big");
    CHECK(p.shipping_total == 0);
    CHECK(p.total == 6000);

    // A discount that takes the subtotal under the thresholds changes which rates apply.
    with_code(in, code(DiscountType::Fixed, 1500));
    p = pricing::price(in);
    REQUIRE(p.shipping_options.size() == 2);
    CHECK(p.shipping_options[0].price == 500);
    CHECK(p.shipping_options[1].rate_id == "rate_small");
    CHECK(p.shipping_total == 500);
    CHECK(p.total == 4500 + 500);

    in.shipping_rate_id = "rate_big";  // no longer applies
    CHECK(error_of(in) == "validation_failed");
}

TEST_CASE("free shipping makes the chosen rate cost nothing and says what it saved") {
    auto in = order_of({{"p1", {}, 2000, 1}});
    ships_with(in, {rate("rate_std", 700)}, "rate_std");
    with_code(in, code(DiscountType::FreeShipping, 0));
    auto p = pricing::price(in);
    CHECK(p.shipping_total == 0);
    CHECK(p.discount_total == 0);
    REQUIRE(p.discount);
    CHECK(p.discount->amount == 700);
    REQUIRE(p.shipping);
    CHECK(p.shipping->price == 0);
    CHECK(p.total == 2000);

    in.shipping_rate_id.reset();  // a quote without a rate: nothing saved yet
    CHECK(pricing::price(in).discount->amount == 0);
}

TEST_CASE("a shop with zones needs a rate of the address's zone; without zones shipping is free") {
    auto in = order_of({{"p1", {}, 2000, 1}});
    in.shop_has_zones = true;  // but none holds DE
    CHECK(error_of(in) == "shipping_unavailable");

    ships_with(in, {rate("rate_std", 700)}, std::nullopt);
    in.rate_required = true;
    CHECK(error_of(in) == "validation_failed");
    in.rate_required = false;  // a quote shows the options and charges nothing
    auto p = pricing::price(in);
    CHECK(p.shipping_options.size() == 1);
    CHECK(p.shipping_total == 0);
    CHECK_FALSE(p.shipping);

    in.shipping_rate_id = "rate_of_another_zone";
    CHECK(error_of(in) == "validation_failed");

    auto nowhere = order_of({{"p1", {}, 2000, 1}});
    nowhere.rate_required = true;
    CHECK(pricing::price(nowhere).shipping_total == 0);
    nowhere.shipping_rate_id = "rate_std";  // no zones: no rate applies
    CHECK(error_of(nowhere) == "validation_failed");
}

TEST_CASE("tax on top: per line after its discount, and on shipping when the rate says so") {
    auto in = order_of({{"p1", {}, 1000, 1}, {"p2", {}, 1999, 1}});
    with_code(in, code(DiscountType::Fixed, 300));
    ships_with(in, {rate("rate_std", 500)}, "rate_std");
    in.tax_rates = {tax("DE", "", 1900, true)};
    auto p = pricing::price(in);
    // Discounts: 300 * 1000 / 2999 = 100.03 -> 100; the rest, 200, to the larger line.
    CHECK(line_discounts(p) == std::vector<std::int64_t>{100, 200});
    // 19 % of 900 = 171; of 1799 = 341.81 -> 342; of 500 shipping = 95.
    CHECK(line_taxes(p) == std::vector<std::int64_t>{171, 342});
    CHECK(p.tax_total == 171 + 342 + 95);
    CHECK(p.total == 2999 - 300 + 500 + 608);

    in.tax_rates = {tax("DE", "", 1900, false)};
    CHECK(pricing::price(in).tax_total == 171 + 342);
}

TEST_CASE("tax in the prices is the part of each price that is tax") {
    auto in = order_of({{"p1", {}, 1200, 1}, {"p2", {}, 1000, 1}});
    in.prices_include_tax = true;
    in.tax_rates = {tax("DE", "", 2000)};
    auto p = pricing::price(in);
    // 1200 * 20/120 = 200; 1000 * 20/120 = 166.67 -> 167.
    CHECK(line_taxes(p) == std::vector<std::int64_t>{200, 167});
    CHECK(p.tax_total == 367);
    CHECK(p.total == 2200);  // not added again
}

TEST_CASE("a region's rate beats its country's; a zero or missing rate owes nothing") {
    auto in = order_of({{"p1", {}, 1000, 1}});
    in.country = "US";
    in.region = "US-CA";
    in.tax_rates = {tax("US", "", 500), tax("US", "US-CA", 725), tax("US", "US-NY", 400)};
    CHECK(pricing::price(in).tax_total == 73);  // 72.5 rounds up
    in.region = "US-TX";
    CHECK(pricing::price(in).tax_total == 50);
    in.region = "";
    CHECK(pricing::price(in).tax_total == 50);

    in.tax_rates = {tax("US", "US-CA", 725)};
    in.region = "US-OR";  // only California has a rate
    CHECK(pricing::price(in).tax_total == 0);

    in.country = "HK";
    in.tax_rates = {tax("HK", "", 0, true)};
    auto p = pricing::price(in);
    CHECK(p.tax_total == 0);
    CHECK(p.total == 1000);
}

TEST_CASE("totals past 64 bits are a 422, never a wrapped number") {
    CHECK(error_of(order_of({{"p1", {}, INT64_MAX / 2, 3}})) == "validation_failed");
    CHECK(error_of(order_of({{"p1", {}, INT64_MAX / 2, 1}, {"p2", {}, INT64_MAX / 2, 1}, {"p3", {}, 2, 1}})) ==
          "validation_failed");
    auto in = order_of({{"p1", {}, INT64_MAX / 2 + 10, 1}});
    in.tax_rates = {tax("DE", "", 10000)};
    CHECK(error_of(in) == "validation_failed");  // the total with 100 % tax does not fit
}

TEST_CASE("mul_div_half_up rounds halves away from zero") {
    CHECK(pricing::mul_div_half_up(1, 1, 2) == 1);
    CHECK(pricing::mul_div_half_up(1, 1, 3) == 0);
    CHECK(pricing::mul_div_half_up(2, 1, 3) == 1);
    CHECK(pricing::mul_div_half_up(INT64_MAX, 1, 1) == INT64_MAX);
    CHECK_FALSE(pricing::mul_div_half_up(INT64_MAX, 2, 1));
}
