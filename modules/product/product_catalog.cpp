#include "product_catalog.hpp"

#include <algorithm>

#include "product_json.hpp"

namespace shop::product {

std::optional<api::ProductInfo> ProductCatalog::product(db::Conn& c, std::string_view id) {
    return products_.find(c, id);
}

std::vector<api::ProductInfo> ProductCatalog::products(db::Conn& c, const std::vector<std::string>& ids) {
    std::vector<api::ProductInfo> found = products_.find_many(c, ids);
    std::vector<api::ProductInfo> out;
    out.reserve(ids.size());
    for (const auto& id : ids) {  // the order of `ids`, repeats included
        auto it = std::find_if(found.begin(), found.end(), [&](const api::ProductInfo& p) { return p.id == id; });
        if (it != found.end()) out.push_back(*it);
    }
    return out;
}

std::vector<api::CategoryInfo> ProductCatalog::categories(db::Conn& c) {
    return categories_.all(c);
}

std::vector<std::string> ProductCatalog::category_subtree(db::Conn& c, std::string_view category_id) {
    return categories_.subtree(c, category_id);
}

nlohmann::json ProductCatalog::to_json(const api::ProductInfo& p) const {
    return product_json(p);
}

}  // namespace shop::product
