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
    std::map<std::string, api::ProductInfo> by_id;
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
        p.price_max = price;
        p.variants.push_back({id, id, p.sku, nlohmann::json::object(), price, 0, "active"});
        return by_id[id] = p;
    }
    // A product with one option, Size, and a variant "<id>-<size>" per size, priced alike.
    api::ProductInfo& add_sized(std::string id, std::vector<std::string> sizes, std::int64_t price = 1000) {
        api::ProductInfo& p = add(id, "Product " + id, "", price);
        p.options = nlohmann::json::array({{{"name", "Size"}, {"values", sizes}}});
        p.variants.clear();
        for (const auto& s : sizes)
            p.variants.push_back({id + "-" + s, id, p.sku + "-" + s, {{"Size", s}}, price, 0, "active"});
        return p;
    }
    void category(std::string id, std::string name, std::optional<std::string> parent = std::nullopt) {
        cats.push_back({std::move(id), std::move(name), std::move(parent)});
    }

    std::optional<api::ProductInfo> product(db::Conn&, std::string_view id) override {
        auto it = by_id.find(std::string(id));
        if (it == by_id.end()) return std::nullopt;
        return it->second;
    }
    std::vector<api::ProductInfo> products(db::Conn& c, const std::vector<std::string>& ids) override {
        std::vector<api::ProductInfo> out;
        for (const auto& id : ids)
            if (auto p = product(c, id)) out.push_back(*p);
        return out;
    }
    std::vector<std::optional<api::Item>> items_of(const std::vector<std::string>& ids) const {
        std::vector<std::optional<api::Item>> out;
        for (const auto& id : ids) {
            std::optional<api::Item> found;
            for (const auto& [_, p] : by_id) {
                if (p.id == id && !p.has_options()) found = api::Item{p, p.variants.at(0)};
                else if (p.id == id) found = api::Item{p, std::nullopt};
                else if (const auto* v = p.variant(id)) found = api::Item{p, *v};
                if (found) break;
            }
            out.push_back(std::move(found));
        }
        return out;
    }
    std::vector<std::optional<api::Item>> items(db::Conn&, const std::vector<std::string>& ids) override {
        return items_of(ids);
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
