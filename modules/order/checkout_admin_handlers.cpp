#include "checkout_admin_handlers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "shop/core/iso3166.hpp"
#include "shop/core/error.hpp"
#include "shop/core/time.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::order {

using http::Context;
using http::Response;
using nlohmann::json;

namespace {

constexpr http::StringRule kName{.min = 1, .max = 100};
constexpr http::IntRule kMoney{.min = 0, .max = kMaxSettingMoney};
constexpr std::size_t kMaxIds = 100;

std::optional<ListKey> list_key(const http::Page& page) {
    auto k = http::keyset_after(page);
    if (!k) return std::nullopt;
    return ListKey{k->at, std::move(k->id)};
}

template <class T, class ListFn, class Render>
Response list_page(const Context& ctx, ListFn list, Render render) {
    http::Page page = http::parse_page(ctx.request());
    std::vector<T> rows = list(list_key(page), page.limit + 1);
    return Response::json(http::page_of(
        std::move(rows), page.limit,
        [](const T& r) {
            return http::keyset_position({r.created_at_ms, r.id});
        },
        render));
}

Response created(const json& body, const std::string& location) {
    Response r = Response::json(201, body);
    r.set_header("Location", location);
    return r;
}

// Fields a PATCH may send but not as null.
void refuse_null(http::Fields& f, const json& body, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (body.contains(n) && body[n].is_null()) f.error(n, "must not be null");
}

// Absent: nullopt; null: cleared; a value: the value (nullopt after recording an error).
Clearable<std::int64_t> clearable_integer(http::Fields& f, const json& body, const char* name, http::IntRule rule) {
    if (!body.contains(name)) return std::nullopt;
    if (body[name].is_null()) return Clearable<std::int64_t>(std::in_place);
    auto v = f.opt_integer(name, rule);
    if (!v) return std::nullopt;
    return Clearable<std::int64_t>(std::in_place, *v);
}

Clearable<std::int64_t> clearable_time(http::Fields& f, const json& body, const char* name) {
    if (!body.contains(name)) return std::nullopt;
    if (body[name].is_null()) return Clearable<std::int64_t>(std::in_place);
    auto text = f.opt_string(name, {.min = 1, .max = 64});
    if (!text) return std::nullopt;
    auto ms = core::parse_rfc3339(*text);
    if (!ms) {
        f.error(name, "must be an RFC 3339 time such as 2026-11-25T17:40:44Z");
        return std::nullopt;
    }
    return Clearable<std::int64_t>(std::in_place, *ms);
}

void check_currency(http::Fields& f, const std::string& currency) {
    if (auto c = f.opt_string("currency", {.min = 3, .max = 3}); c && *c != currency)
        f.error("currency", fmt::format("must be the shop's currency, {}", currency));
}

// countries: a non-empty list of distinct ISO 3166-1 alpha-2 codes, upper case.
std::vector<std::string> read_countries(http::Fields& f, const json& body) {
    std::vector<std::string> out;
    auto list = f.opt_array("countries");
    if (!list) {
        if (!body.contains("countries") || body["countries"].is_null()) f.error("countries", "is required");
        return out;
    }
    if (list->empty()) f.error("countries", "must name at least one country");
    if (list->size() > 300) {
        f.error("countries", "has more entries than there are countries");
        return out;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& c = (*list)[i];
        std::string field = "countries[" + std::to_string(i) + "]";
        if (!c.is_string() || !core::is_country_code(c.get<std::string>()))
            f.error(field, "must be an ISO 3166-1 alpha-2 country code in upper case, such as US");
        else if (!seen.insert(c.get<std::string>()).second)
            f.error(field, "names a country already in the list");
        else
            out.push_back(c.get<std::string>());
    }
    return out;
}

// product_ids, category_ids: up to 100 distinct non-empty strings; null reads as [].
std::optional<std::vector<std::string>> read_ids(http::Fields& f, const json& body, const char* name) {
    if (!body.contains(name)) return std::nullopt;
    std::vector<std::string> out;
    if (body[name].is_null()) return out;
    auto list = f.opt_array(name);
    if (!list) return std::nullopt;
    if (list->size() > kMaxIds) {
        f.error(name, fmt::format("at most {} ids", kMaxIds));
        return std::nullopt;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& id = (*list)[i];
        std::string field = std::string(name) + "[" + std::to_string(i) + "]";
        if (!id.is_string() || id.get<std::string>().empty() || id.get<std::string>().size() > 100)
            f.error(field, "must be an id: a string of 1 to 100 characters");
        else if (!seen.insert(id.get<std::string>()).second)
            f.error(field, "is in the list already");
        else
            out.push_back(id.get<std::string>());
    }
    return out;
}

bool code_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

std::optional<std::string> read_code(http::Fields& f) {
    auto code = f.opt_string("code", {.min = 1, .max = 64, .trim = false});
    if (code && !std::all_of(code->begin(), code->end(), code_char)) {
        f.error("code", "may hold only letters A-Z and a-z, digits, '_' and '-'");
        return std::nullopt;
    }
    return code;
}

std::optional<DiscountType> read_type(http::Fields& f) {
    auto text = f.opt_string("type", {.min = 1, .max = 20});
    if (!text) return std::nullopt;
    auto t = discount_type_from_string(*text);
    if (!t) f.error("type", "must be percentage, fixed or free_shipping");
    return t;
}

http::IntRule value_rule(DiscountType t) {
    return t == DiscountType::Percentage ? http::IntRule{.min = 1, .max = 100}
                                         : http::IntRule{.min = 1, .max = kMaxSettingMoney};
}

}  // namespace

// --- shipping zones ---

Response CheckoutAdminHandlers::list_zones(Context& ctx) {
    return list_page<ShippingZone>(
        ctx, [&](const std::optional<ListKey>& after, int limit) { return service_.list_zones(after, limit); },
        [&](const ShippingZone& z) { return zone_json(z, currency_); });
}

Response CheckoutAdminHandlers::create_zone(Context& ctx) {
    const json body = ctx.json_body();
    http::Fields f(body);
    f.only({"name", "countries"});
    ShippingZone z;
    z.name = f.string("name", kName);
    z.countries = read_countries(f, body);
    f.done();
    ShippingZone made = service_.create_zone(z);
    return created(zone_json(made, currency_), "/api/v1/shipping/zones/" + made.id);
}

Response CheckoutAdminHandlers::get_zone(Context& ctx) {
    return Response::json(zone_json(service_.zone(ctx.param("id")), currency_));
}

Response CheckoutAdminHandlers::update_zone(Context& ctx) {
    const json body = ctx.json_body();
    http::Fields f(body);
    f.only({"name", "countries"});
    refuse_null(f, body, {"name", "countries"});
    ZoneChange change;
    change.name = f.opt_string("name", kName);
    if (f.has("countries")) change.countries = read_countries(f, body);
    f.done();
    return Response::json(zone_json(service_.update_zone(ctx.param("id"), change), currency_));
}

Response CheckoutAdminHandlers::remove_zone(Context& ctx) {
    service_.remove_zone(ctx.param("id"));
    return Response::no_content();
}

Response CheckoutAdminHandlers::add_rate(Context& ctx) {
    const json body = ctx.json_body();
    http::Fields f(body);
    f.only({"name", "price", "free_over", "min_subtotal", "max_subtotal", "currency"});
    ShippingRate r;
    r.name = f.string("name", kName);
    r.price = f.integer("price", kMoney);
    r.free_over = f.opt_integer("free_over", kMoney);
    r.min_subtotal = f.opt_integer("min_subtotal", kMoney);
    r.max_subtotal = f.opt_integer("max_subtotal", kMoney);
    check_currency(f, currency_);
    f.done();
    const std::string& zone_id = ctx.param("id");
    ShippingRate made = service_.add_rate(zone_id, r);
    return created(rate_json(made, currency_), "/api/v1/shipping/zones/" + zone_id + "/rates/" + made.id);
}

Response CheckoutAdminHandlers::update_rate(Context& ctx) {
    const json body = ctx.json_body();
    http::Fields f(body);
    f.only({"name", "price", "free_over", "min_subtotal", "max_subtotal", "currency"});
    refuse_null(f, body, {"name", "price"});
    RateChange change;
    change.name = f.opt_string("name", kName);
    change.price = f.opt_integer("price", kMoney);
    change.free_over = clearable_integer(f, body, "free_over", kMoney);
    change.min_subtotal = clearable_integer(f, body, "min_subtotal", kMoney);
    change.max_subtotal = clearable_integer(f, body, "max_subtotal", kMoney);
    check_currency(f, currency_);
    f.done();
    return Response::json(rate_json(service_.update_rate(ctx.param("id"), ctx.param("rate_id"), change), currency_));
}

Response CheckoutAdminHandlers::remove_rate(Context& ctx) {
    service_.remove_rate(ctx.param("id"), ctx.param("rate_id"));
    return Response::no_content();
}

// --- tax rates ---

Response CheckoutAdminHandlers::list_tax_rates(Context& ctx) {
    return list_page<TaxRate>(
        ctx, [&](const std::optional<ListKey>& after, int limit) { return service_.list_tax_rates(after, limit); },
        [](const TaxRate& t) { return tax_rate_json(t); });
}

namespace {
std::optional<std::string> read_country(http::Fields& f) {
    auto country = f.opt_string("country", {.min = 1, .max = 8});
    if (country && !core::is_country_code(*country)) {
        f.error("country", "must be an ISO 3166-1 alpha-2 country code in upper case, such as US");
        return std::nullopt;
    }
    return country;
}

std::optional<std::string> read_region(http::Fields& f, const std::optional<std::string>& country) {
    auto region = f.opt_string("region", {.min = 1, .max = 16});
    if (region && country && !core::is_region_code(*region, *country)) {
        f.error("region", fmt::format("must be an ISO 3166-2 code of {} such as {}-XX", *country, *country));
        return std::nullopt;
    }
    return region;
}
}  // namespace

Response CheckoutAdminHandlers::create_tax_rate(Context& ctx) {
    const json body = ctx.json_body();
    http::Fields f(body);
    f.only({"country", "region", "name", "rate_bp", "shipping_taxable"});
    TaxRate t;
    if (!f.has("country")) f.error("country", "is required");
    auto country = read_country(f);
    t.country = country.value_or("");
    t.region = read_region(f, country).value_or("");
    t.name = f.string("name", kName);
    t.rate_bp = f.integer("rate_bp", {.min = 0, .max = 10000});
    t.shipping_taxable = f.opt_boolean("shipping_taxable").value_or(false);
    f.done();
    TaxRate made = service_.create_tax_rate(t);
    return created(tax_rate_json(made), "/api/v1/tax/rates/" + made.id);
}

Response CheckoutAdminHandlers::get_tax_rate(Context& ctx) {
    return Response::json(tax_rate_json(service_.tax_rate(ctx.param("id"))));
}

Response CheckoutAdminHandlers::update_tax_rate(Context& ctx) {
    const json body = ctx.json_body();
    http::Fields f(body);
    f.only({"country", "region", "name", "rate_bp", "shipping_taxable"});
    refuse_null(f, body, {"country", "name", "rate_bp", "shipping_taxable"});
    TaxChange change;
    change.country = read_country(f);
    if (body.contains("region")) {
        // Checked against the country it will have, by the service.
        if (body["region"].is_null())
            change.region.emplace();
        else if (auto region = read_region(f, std::nullopt))
            change.region.emplace(*region);
    }
    change.name = f.opt_string("name", kName);
    change.rate_bp = f.opt_integer("rate_bp", {.min = 0, .max = 10000});
    change.shipping_taxable = f.opt_boolean("shipping_taxable");
    f.done();
    return Response::json(tax_rate_json(service_.update_tax_rate(ctx.param("id"), change)));
}

Response CheckoutAdminHandlers::remove_tax_rate(Context& ctx) {
    service_.remove_tax_rate(ctx.param("id"));
    return Response::no_content();
}

// --- discounts ---

Response CheckoutAdminHandlers::list_discounts(Context& ctx) {
    return list_page<Discount>(
        ctx, [&](const std::optional<ListKey>& after, int limit) { return service_.list_discounts(after, limit); },
        [&](const Discount& d) { return discount_json(d, currency_); });
}

Response CheckoutAdminHandlers::create_discount(Context& ctx) {
    const json body = ctx.json_body();
    http::Fields f(body);
    f.only({"code", "type", "value", "min_subtotal", "starts_at", "ends_at", "usage_limit", "per_customer_limit",
            "product_ids", "category_ids", "currency"});
    Discount d;
    if (!f.has("code")) f.error("code", "is required");
    d.code = read_code(f).value_or("");
    if (!f.has("type")) f.error("type", "is required");
    auto type = read_type(f);
    d.type = type.value_or(DiscountType::Percentage);
    if (type == DiscountType::FreeShipping) {
        if (f.has("value")) f.error("value", "must be absent or null for a free_shipping discount");
    } else if (type) {
        d.value = f.integer("value", value_rule(*type));
    }
    d.min_subtotal = f.opt_integer("min_subtotal", kMoney);
    d.starts_at_ms = clearable_time(f, body, "starts_at").value_or(std::nullopt);
    d.ends_at_ms = clearable_time(f, body, "ends_at").value_or(std::nullopt);
    d.usage_limit = f.opt_integer("usage_limit", {.min = 1});
    d.per_customer_limit = f.opt_integer("per_customer_limit", {.min = 1});
    d.product_ids = read_ids(f, body, "product_ids").value_or(std::vector<std::string>{});
    d.category_ids = read_ids(f, body, "category_ids").value_or(std::vector<std::string>{});
    check_currency(f, currency_);
    f.done();
    Discount made = service_.create_discount(d);
    return created(discount_json(made, currency_), "/api/v1/discounts/" + made.id);
}

Response CheckoutAdminHandlers::get_discount(Context& ctx) {
    return Response::json(discount_json(service_.discount(ctx.param("id")), currency_));
}

Response CheckoutAdminHandlers::update_discount(Context& ctx) {
    const json body = ctx.json_body();
    http::Fields f(body);
    f.only({"code", "type", "value", "min_subtotal", "starts_at", "ends_at", "usage_limit", "per_customer_limit",
            "product_ids", "category_ids", "currency", "active"});
    refuse_null(f, body, {"code", "type", "active"});
    DiscountChange change;
    change.code = read_code(f);
    change.type = read_type(f);
    // The range depends on the type the discount will have: checked by the service.
    change.value = clearable_integer(f, body, "value", {.min = 1, .max = kMaxSettingMoney});
    change.min_subtotal = clearable_integer(f, body, "min_subtotal", kMoney);
    change.starts_at_ms = clearable_time(f, body, "starts_at");
    change.ends_at_ms = clearable_time(f, body, "ends_at");
    change.usage_limit = clearable_integer(f, body, "usage_limit", {.min = 1});
    change.per_customer_limit = clearable_integer(f, body, "per_customer_limit", {.min = 1});
    change.product_ids = read_ids(f, body, "product_ids");
    change.category_ids = read_ids(f, body, "category_ids");
    change.active = f.opt_boolean("active");
    check_currency(f, currency_);
    f.done();
    return Response::json(discount_json(service_.update_discount(ctx.param("id"), change), currency_));
}

Response CheckoutAdminHandlers::remove_discount(Context& ctx) {
    return Response::json(discount_json(service_.deactivate_discount(ctx.param("id")), currency_));
}

}  // namespace shop::order
