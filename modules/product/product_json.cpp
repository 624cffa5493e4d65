#include "product_json.hpp"

#include "shop/core/time.hpp"

namespace shop::product {

namespace {
nlohmann::json nullable(const std::optional<std::string>& s) {
    return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json product_json(const api::ProductInfo& p) {
    return {{"id", p.id},
            {"sku", p.sku},
            {"name", p.name},
            {"description", p.description},
            {"price", p.price},
            {"currency", p.currency},
            {"stock", p.stock},
            {"category_id", nullable(p.category_id)},
            {"attributes", p.attributes},
            {"images", p.images},
            {"status", p.status},
            {"version", p.version},
            {"created_at", core::format_rfc3339(p.created_at_ms)},
            {"updated_at", core::format_rfc3339(p.updated_at_ms)}};
}

nlohmann::json category_json(const api::CategoryInfo& c) {
    return {{"id", c.id}, {"name", c.name}, {"parent_id", nullable(c.parent_id)}};
}

nlohmann::json product_created_data(const api::ProductInfo& p) {
    return {{"product_id", p.id},
            {"category_id", nullable(p.category_id)},
            {"price", p.price},
            {"currency", p.currency},
            {"stock", p.stock}};
}

nlohmann::json category_created_data(const api::CategoryInfo& c) {
    return {{"category_id", c.id}, {"parent_id", nullable(c.parent_id)}};
}

}  // namespace shop::product
