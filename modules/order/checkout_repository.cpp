#include "checkout_repository.hpp"

#include <nlohmann/json.hpp>

#include "pricing.hpp"

namespace shop::order {

namespace {
std::vector<std::string> strings_of(const std::string& text) {
    std::vector<std::string> out;
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_array())
        for (const auto& e : j)
            if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
}
}  // namespace

std::string code_key(std::string_view code) {
    std::string out(code);
    for (char& ch : out)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
}

bool CheckoutRepository::any_zone(db::Conn& c) {
    return c.query_one("SELECT 1 FROM shipping_zones LIMIT 1").has_value();
}

std::optional<ShippingZone> CheckoutRepository::zone_for_country(db::Conn& c, std::string_view country) {
    auto row = c.query_one(
        "SELECT z.id, z.name, z.created_at, z.updated_at FROM shipping_zone_countries k "
        "JOIN shipping_zones z ON z.id = k.zone_id WHERE k.country = ?",
        std::string(country));
    if (!row) return std::nullopt;
    ShippingZone z{row->str(0), row->str(1), {}, {}, row->i64(2), row->i64(3)};
    for (const auto& r : c.query("SELECT country FROM shipping_zone_countries WHERE zone_id = ? ORDER BY country", z.id))
        z.countries.push_back(r.str(0));
    for (const auto& r : c.query("SELECT id, zone_id, name, price, free_over, min_subtotal, max_subtotal, created_at, "
                                 "updated_at FROM shipping_rates WHERE zone_id = ? ORDER BY created_at, id",
                                 z.id))
        z.rates.push_back({r.str(0), r.str(1), r.str(2), r.i64(3), r.opt_i64(4), r.opt_i64(5), r.opt_i64(6), r.i64(7),
                           r.i64(8)});
    return z;
}

std::vector<TaxRate> CheckoutRepository::tax_rates(db::Conn& c, std::string_view country) {
    std::vector<TaxRate> out;
    for (const auto& r : c.query("SELECT id, country, region, name, rate_bp, shipping_taxable, created_at, updated_at "
                                 "FROM tax_rates WHERE country = ?",
                                 std::string(country)))
        out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.i64(4), r.i64(5) != 0, r.i64(6), r.i64(7)});
    return out;
}

std::optional<Discount> CheckoutRepository::discount_by_code(db::Conn& c, std::string_view code) {
    auto r = c.query_one(
        "SELECT id, code, type, value, min_subtotal, starts_at, ends_at, usage_limit, per_customer_limit, "
        "product_ids, category_ids, active, used, created_at, updated_at FROM discounts WHERE code_key = ?",
        code_key(code));
    if (!r) return std::nullopt;
    Discount d;
    d.id = r->str(0);
    d.code = r->str(1);
    d.type = pricing::discount_type_from_string(r->str(2)).value_or(DiscountType::Percentage);
    d.value = r->i64(3);
    d.min_subtotal = r->opt_i64(4);
    d.starts_at_ms = r->opt_i64(5);
    d.ends_at_ms = r->opt_i64(6);
    d.usage_limit = r->opt_i64(7);
    d.per_customer_limit = r->opt_i64(8);
    d.product_ids = strings_of(r->str(9));
    d.category_ids = strings_of(r->str(10));
    d.active = r->i64(11) != 0;
    d.usage_count = r->i64(12);
    d.created_at_ms = r->i64(13);
    d.updated_at_ms = r->i64(14);
    return d;
}

std::int64_t CheckoutRepository::uses_by(db::Conn& c, const std::string& discount_id, const std::string& customer) {
    auto r = c.query_one("SELECT uses FROM discount_uses WHERE discount_id = ? AND customer = ?", discount_id, customer);
    return r ? r->i64(0) : 0;
}

}  // namespace shop::order
