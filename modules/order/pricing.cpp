#include "pricing.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "money.hpp"
#include "shop/core/error.hpp"

namespace shop::order::pricing {

namespace {

// Wide enough for price * quantity * basis points; __extension__ keeps -Wpedantic quiet.
__extension__ typedef __int128 i128;

Error too_large() {
    return Error::validation("items", "the order total is too large");
}

std::int64_t checked_add(std::int64_t a, std::int64_t b) {
    auto sum = add_money(a, b);
    if (!sum) throw too_large();
    return *sum;
}

Error invalid_code(const std::string& code, std::string_view why) {
    return Error("discount_invalid", fmt::format("discount code {} {}", code, why))
        .with_errors({{"discount_code", std::string(why)}})
        .with_field("discount_code", code);
}

bool listed(const std::vector<std::string>& ids, const std::optional<std::string>& id) {
    return id && std::find(ids.begin(), ids.end(), *id) != ids.end();
}

// Which lines the discount reaches: all of them, or those whose product or category
// (descendants included) it lists.
std::vector<bool> eligible_lines(const Input& in, const Discount& d) {
    bool everything = d.product_ids.empty() && d.category_ids.empty();
    std::vector<bool> out;
    for (const auto& l : in.lines)
        out.push_back(everything || listed(d.product_ids, l.product_id) ||
                      listed(in.discount_categories, l.category_id));
    return out;
}

// The discount is valid for this order (else 422 discount_invalid saying why).
void check_discount(const Input& in, const Discount& d, std::int64_t subtotal, bool any_eligible) {
    const std::string& code = *in.discount_code;
    if (!d.active) throw invalid_code(code, "is no longer active");
    if (d.starts_at_ms && in.now_ms < *d.starts_at_ms) throw invalid_code(code, "has not started yet");
    if (d.ends_at_ms && in.now_ms >= *d.ends_at_ms) throw invalid_code(code, "has ended");
    if (d.min_subtotal && subtotal < *d.min_subtotal)
        throw invalid_code(code, fmt::format("needs a subtotal of at least {}", *d.min_subtotal));
    if (!any_eligible) throw invalid_code(code, "applies to none of these items");
}

// Splits `amount` (at most `eligible_total`) over the eligible lines in proportion to their
// totals, each share rounded down; what that leaves (less than one unit per line) goes to
// the largest eligible line, and what it cannot take without a discount above its own total
// to the next largest, so the shares add up exactly and none exceeds its line. (All of it to
// the largest line alone could: 11 over five lines of 3, 3, 3, 2 and 2 leaves 3 after the
// shares 2, 2, 2, 1, 1. Found by fuzz_pricing.)
void split(std::vector<PricedLine>& lines, const std::vector<bool>& eligible, std::int64_t amount,
           std::int64_t eligible_total) {
    if (amount == 0 || eligible_total == 0) return;
    std::int64_t left = amount;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!eligible[i]) continue;
        lines[i].discount = static_cast<std::int64_t>(static_cast<i128>(amount) * lines[i].line_total / eligible_total);
        left -= lines[i].discount;
        order.push_back(i);
    }
    // Largest first; among equals, the earlier line (what a single largest line got before).
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return lines[a].line_total > lines[b].line_total; });
    for (std::size_t i : order) {
        if (left == 0) break;
        const std::int64_t take = std::min(left, lines[i].line_total - lines[i].discount);
        lines[i].discount += take;
        left -= take;
    }
}

// The tax in `base`: on top of it (added), or the part of it that is tax (included).
std::int64_t tax_of(std::int64_t base, std::int64_t rate_bp, bool included) {
    auto t = included ? mul_div_half_up(base, rate_bp, 10000 + rate_bp) : mul_div_half_up(base, rate_bp, 10000);
    if (!t) throw too_large();
    return *t;
}

bool applies(const ShippingRate& r, std::int64_t subtotal) {
    return (!r.min_subtotal || subtotal >= *r.min_subtotal) && (!r.max_subtotal || subtotal < *r.max_subtotal);
}

std::int64_t rate_price(const ShippingRate& r, std::int64_t subtotal) {
    return r.free_over && subtotal >= *r.free_over ? 0 : r.price;
}

}  // namespace

const TaxRate* tax_rate_for(const std::vector<TaxRate>& rates, std::string_view country, std::string_view region) {
    const TaxRate* whole_country = nullptr;
    for (const auto& r : rates) {
        if (r.country != country) continue;
        if (!region.empty() && r.region == region) return &r;
        if (r.region.empty()) whole_country = &r;
    }
    return whole_country;
}

std::optional<std::int64_t> mul_div_half_up(std::int64_t n, std::int64_t num, std::int64_t den) {
    i128 q = (static_cast<i128>(n) * num * 2 + den) / (static_cast<i128>(den) * 2);
    if (q > INT64_MAX) return std::nullopt;
    return static_cast<std::int64_t>(q);
}

Priced price(const Input& in) {
    Priced out;
    // 1. Lines.
    for (const auto& l : in.lines) {
        auto lt = line_total(l.unit_price, l.quantity);
        if (!lt) throw too_large();
        out.lines.push_back({*lt, 0, 0});
        out.subtotal = checked_add(out.subtotal, *lt);
    }

    // 2. Eligible lines and 3. the discount, split over them.
    if (in.discount_code) {
        if (!in.discount) throw invalid_code(*in.discount_code, "does not exist");
        const Discount& d = *in.discount;
        auto eligible = eligible_lines(in, d);
        std::int64_t eligible_total = 0;
        for (std::size_t i = 0; i < eligible.size(); ++i)
            if (eligible[i]) eligible_total += out.lines[i].line_total;  // <= subtotal: no overflow
        check_discount(in, d, out.subtotal,
                       std::find(eligible.begin(), eligible.end(), true) != eligible.end());
        std::int64_t amount = 0;
        if (d.type == DiscountType::Percentage)
            amount = std::min(*mul_div_half_up(eligible_total, std::clamp<std::int64_t>(d.value, 0, 100), 100),
                              eligible_total);
        else if (d.type == DiscountType::Fixed)
            amount = std::clamp<std::int64_t>(d.value, 0, eligible_total);
        split(out.lines, eligible, amount, eligible_total);
        out.discount_total = amount;
        out.discount = AppliedDiscount{d.id, d.code, d.type, amount};
    }
    const std::int64_t discounted = out.subtotal - out.discount_total;

    // 4. Shipping: the rates of the address's zone that apply to the discounted subtotal.
    if (in.shop_has_zones && !in.zone)
        throw Error("shipping_unavailable", "the shop does not ship to this address")
            .with_errors({{"shipping_address.country", "is in no shipping zone"}});
    if (in.zone)
        for (const auto& r : in.zone->rates)
            if (applies(r, discounted)) out.shipping_options.push_back({r.id, r.name, rate_price(r, discounted)});
    if (in.shipping_rate_id) {
        auto it = std::find_if(out.shipping_options.begin(), out.shipping_options.end(),
                               [&](const ShippingOption& o) { return o.rate_id == *in.shipping_rate_id; });
        if (it == out.shipping_options.end())
            throw Error::validation("shipping_rate_id", "is not a shipping rate that applies to this order")
                .with_field("shipping_rate_id", *in.shipping_rate_id);
        out.shipping = *it;
    } else if (in.rate_required && in.shop_has_zones) {
        throw Error::validation("shipping_rate_id", "is required: choose one of the shipping options");
    }
    if (out.shipping && out.discount && out.discount->type == DiscountType::FreeShipping) {
        out.discount->amount = out.shipping->price;
        out.shipping->price = 0;
    }
    out.shipping_total = out.shipping ? out.shipping->price : 0;

    // 5. Tax, per line on what the line costs after its discount, and on the shipping
    // price when the rate says so; each rounded half up.
    if (const TaxRate* tax = tax_rate_for(in.tax_rates, in.country, in.region)) {
        for (auto& l : out.lines) {
            l.tax = tax_of(l.line_total - l.discount, tax->rate_bp, in.prices_include_tax);
            out.tax_total = checked_add(out.tax_total, l.tax);
        }
        if (tax->shipping_taxable && out.shipping_total > 0)
            out.tax_total = checked_add(out.tax_total, tax_of(out.shipping_total, tax->rate_bp, in.prices_include_tax));
    }

    // 6. Totals: tax on top is added; tax in the prices is already there.
    out.total = checked_add(discounted, out.shipping_total);
    if (!in.prices_include_tax) out.total = checked_add(out.total, out.tax_total);
    return out;
}

}  // namespace shop::order::pricing
