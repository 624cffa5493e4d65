#include <nlohmann/json.hpp>

#include "checkout_admin_handlers.hpp"
#include "discount_repository.hpp"
#include "shop/core/time.hpp"

namespace shop::order {

using nlohmann::json;

namespace {
json or_null(const std::optional<std::int64_t>& v) {
    return v ? json(*v) : json(nullptr);
}
json time_or_null(const std::optional<std::int64_t>& ms) {
    return ms ? json(core::format_rfc3339(*ms)) : json(nullptr);
}
}  // namespace

json rate_json(const ShippingRate& r, const std::string& currency) {
    return {{"id", r.id},
            {"zone_id", r.zone_id},
            {"name", r.name},
            {"price", r.price},
            {"free_over", or_null(r.free_over)},
            {"min_subtotal", or_null(r.min_subtotal)},
            {"max_subtotal", or_null(r.max_subtotal)},
            {"currency", currency},
            {"created_at", core::format_rfc3339(r.created_at_ms)},
            {"updated_at", core::format_rfc3339(r.updated_at_ms)}};
}

json zone_json(const ShippingZone& z, const std::string& currency) {
    json rates = json::array();
    for (const auto& r : z.rates) rates.push_back(rate_json(r, currency));
    return {{"id", z.id},
            {"name", z.name},
            {"countries", z.countries},
            {"rates", std::move(rates)},
            {"created_at", core::format_rfc3339(z.created_at_ms)},
            {"updated_at", core::format_rfc3339(z.updated_at_ms)}};
}

json tax_rate_json(const TaxRate& t) {
    return {{"id", t.id},
            {"country", t.country},
            {"region", t.region.empty() ? json(nullptr) : json(t.region)},
            {"name", t.name},
            {"rate_bp", t.rate_bp},
            {"shipping_taxable", t.shipping_taxable},
            {"created_at", core::format_rfc3339(t.created_at_ms)},
            {"updated_at", core::format_rfc3339(t.updated_at_ms)}};
}

json discount_json(const Discount& d, const std::string& currency) {
    return {{"id", d.id},
            {"code", d.code},
            {"type", std::string(to_string(d.type))},
            {"value", d.type == DiscountType::FreeShipping ? json(nullptr) : json(d.value)},
            {"min_subtotal", or_null(d.min_subtotal)},
            {"currency", currency},
            {"starts_at", time_or_null(d.starts_at_ms)},
            {"ends_at", time_or_null(d.ends_at_ms)},
            {"usage_limit", or_null(d.usage_limit)},
            {"per_customer_limit", or_null(d.per_customer_limit)},
            {"product_ids", d.product_ids},
            {"category_ids", d.category_ids},
            {"active", d.active},
            {"usage_count", d.usage_count},
            {"created_at", core::format_rfc3339(d.created_at_ms)},
            {"updated_at", core::format_rfc3339(d.updated_at_ms)}};
}

}  // namespace shop::order
