#include "product_catalog.hpp"

#include <algorithm>
#include <map>

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

std::vector<std::optional<api::Item>> ProductCatalog::items(db::Conn& c, const std::vector<std::string>& ids) {
    // An id is a variant's, or a product's; a plain product's one variant has its product's
    // id, so both lookups are by the same key.
    std::map<std::string, std::string> product_of;  // item id -> product id
    for (const auto& v : variants_.find_many(c, ids)) product_of[v.id] = v.product_id;
    std::vector<std::string> product_ids;
    for (const auto& id : ids) product_ids.push_back(product_of.count(id) ? product_of[id] : id);
    std::map<std::string, api::ProductInfo> products;
    for (auto& p : products_.find_many(c, product_ids)) products.emplace(p.id, std::move(p));
    std::vector<std::optional<api::Item>> out;
    out.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        auto p = products.find(product_ids[i]);
        if (p == products.end()) {
            out.emplace_back();
            continue;
        }
        api::Item item{p->second, std::nullopt};
        if (const auto* v = p->second.variant(ids[i])) item.variant = *v;
        out.push_back(std::move(item));
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
