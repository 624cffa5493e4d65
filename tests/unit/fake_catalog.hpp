#pragma once
// A catalogue in memory standing in for the product module (api::Catalog), shared by the
// order, search and analytics tests.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shop/api/catalog.hpp"

namespace shop::test {

struct FakeCatalog : api::Catalog {
    std::map<std::string, api::ProductInfo> items;
    std::vector<api::CategoryInfo> cats;

    // A plain product for order tests: priced, and active or archived.
    void add(std::string id, std::int64_t price, std::string status = "active") {
        api::ProductInfo& p = add(id, "Product " + id, "", price);
        p.status = std::move(status);
    }
    // A described product for the search and analytics indexes.
    api::ProductInfo& add(std::string id, std::string name, std::string description, std::int64_t price = 1000,
                          std::optional<std::string> category = std::nullopt) {
        api::ProductInfo p;
        p.id = id;
        p.sku = "SKU-" + id;
        p.name = std::move(name);
        p.description = std::move(description);
        p.price = price;
        p.currency = "USD";
        p.category_id = std::move(category);
        p.status = "active";
        return items[id] = p;
    }
    void category(std::string id, std::string name, std::optional<std::string> parent = std::nullopt) {
        cats.push_back({std::move(id), std::move(name), std::move(parent)});
    }

    std::optional<api::ProductInfo> product(db::Conn&, std::string_view id) override {
        auto it = items.find(std::string(id));
        if (it == items.end()) return std::nullopt;
        return it->second;
    }
    std::vector<api::ProductInfo> products(db::Conn& c, const std::vector<std::string>& ids) override {
        std::vector<api::ProductInfo> out;
        for (const auto& id : ids)
            if (auto p = product(c, id)) out.push_back(*p);
        return out;
    }
    std::vector<api::CategoryInfo> categories(db::Conn&) override { return cats; }
    std::vector<std::string> category_subtree(db::Conn& c, std::string_view id) override {
        std::vector<std::string> out;
        for (const auto& cat : cats)
            if (cat.id == id) out.push_back(cat.id);
        if (out.empty()) return out;
        for (const auto& cat : cats)
            if (cat.parent_id && *cat.parent_id == id)
                for (auto& sub : category_subtree(c, cat.id)) out.push_back(sub);
        return out;
    }
    nlohmann::json to_json(const api::ProductInfo& p) const override {
        return {{"id", p.id},
                {"name", p.name},
                {"price", p.price},
                {"category_id", p.category_id ? nlohmann::json(*p.category_id) : nlohmann::json(nullptr)}};
    }
};

}  // namespace shop::test
