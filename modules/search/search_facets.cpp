#include "search_facets.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace shop::search {

using nlohmann::json;

namespace {

// Every match's own category; products without one are counted in `total` only.
json category_facet(const std::vector<CategoryCount>& counts, const std::vector<api::CategoryInfo>& categories) {
    std::map<std::string, std::string> names;
    for (const auto& cat : categories) names.emplace(cat.id, cat.name);
    auto name_of = [&](const std::string& id) {
        auto it = names.find(id);
        return it == names.end() ? std::string() : it->second;
    };
    std::vector<CategoryCount> facets;
    for (const auto& f : counts)
        if (f.category_id) facets.push_back(f);
    std::sort(facets.begin(), facets.end(), [&](const CategoryCount& a, const CategoryCount& b) {
        if (a.count != b.count) return a.count > b.count;
        return name_of(*a.category_id) < name_of(*b.category_id);
    });
    json out = json::array();
    for (const auto& f : facets)
        out.push_back({{"value", *f.category_id}, {"name", name_of(*f.category_id)}, {"count", f.count}});
    return out;
}

// Option names in byte order (the index reports them in none); a name's values most
// matches first, then by value, as the category facet orders its entries.
json option_facet(const std::vector<OptionCount>& counts) {
    std::map<std::string, std::vector<std::pair<std::string, std::int64_t>>> by_name;
    for (const auto& c : counts) by_name[c.option.name].emplace_back(c.option.value, c.count);
    json out = json::array();
    for (auto& [name, values] : by_name) {
        std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        json list = json::array();
        for (const auto& [value, count] : values) list.push_back({{"value", value}, {"count", count}});
        out.push_back({{"name", name}, {"values", std::move(list)}});
    }
    return out;
}

}  // namespace

json facets_json(const SearchResult& result, const std::vector<api::CategoryInfo>& categories) {
    return {{"category", category_facet(result.categories, categories)},
            {"options", option_facet(result.options)},
            {"price", result.price ? json{{"min", result.price->min}, {"max", result.price->max}} : json(nullptr)}};
}

json empty_facets() {
    return facets_json({}, {});
}

}  // namespace shop::search
