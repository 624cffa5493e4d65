#pragma once
// The one pricing function of checkout (section 10): both the quote and the order call it,
// so an order always carries exactly what its quote showed. Pure: everything it needs is
// read beforehand and handed in, so it is tested on its own with a table of cases.
//
// lines -> eligible lines -> discount split -> shipping rate -> tax per line and on
// shipping -> totals. docs/orders.md walks through an example.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkout_rules.hpp"

namespace shop::order::pricing {

struct Line {
    std::string product_id;
    std::optional<std::string> category_id;
    std::int64_t unit_price = 0;
    std::int64_t quantity = 0;
};

struct Input {
    std::vector<Line> lines;
    // The code the buyer typed, and what it names (nullopt: no such code).
    std::optional<std::string> discount_code;
    std::optional<Discount> discount;
    // The discount's category_ids with all their descendants.
    std::vector<std::string> discount_categories;
    // Shipping: whether the shop has any zone, the zone of the address (if any) and the
    // rate the buyer chose. A shop with no zones ships everywhere for free.
    bool shop_has_zones = false;
    std::optional<ShippingZone> zone;
    std::optional<std::string> shipping_rate_id;
    bool rate_required = false;  // an order must choose one; a quote may leave it out
    // The tax rates of the address's country; the one for its region wins over the one for
    // the whole country. None: no tax is owed there.
    std::vector<TaxRate> tax_rates;
    std::string country;
    std::string region;  // ISO 3166-2, or empty
    bool prices_include_tax = false;
    std::int64_t now_ms = 0;
};

struct PricedLine {
    std::int64_t line_total = 0;
    std::int64_t discount = 0;
    std::int64_t tax = 0;
};

struct ShippingOption {
    std::string rate_id;
    std::string name;
    std::int64_t price = 0;
};

struct AppliedDiscount {
    std::string id;
    std::string code;  // as the shop wrote it
    DiscountType type = DiscountType::Percentage;
    std::int64_t amount = 0;  // off the lines, or the shipping saved (free_shipping)
};

struct Priced {
    std::vector<PricedLine> lines;  // in the order of Input::lines
    std::int64_t subtotal = 0;
    std::int64_t discount_total = 0;
    std::int64_t shipping_total = 0;
    std::int64_t tax_total = 0;
    std::int64_t total = 0;
    std::vector<ShippingOption> shipping_options;  // the rates that apply to this order
    std::optional<ShippingOption> shipping;         // the chosen rate at the price charged
    std::optional<AppliedDiscount> discount;
};

// Throws shop::Error: 422 discount_invalid (detail says why), 422 shipping_unavailable,
// 422 validation_failed (shipping_rate_id, or totals past 64 bits).
Priced price(const Input& in);

// The rate for (country, region), else the one for the country with no region.
const TaxRate* tax_rate_for(const std::vector<TaxRate>& rates, std::string_view country, std::string_view region);

// n * num / den rounded half up, for non-negative n, num and a positive den; nullopt when
// the result does not fit in 64 bits.
std::optional<std::int64_t> mul_div_half_up(std::int64_t n, std::int64_t num, std::int64_t den);

}  // namespace shop::order::pricing
