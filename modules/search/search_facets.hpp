#pragma once
// The `facets` object of a search response, from what the index counted over every match:
//   category: [{value: category id, name, count}]  most matches first, then by name
//   options:  [{name, values: [{value, count}]}]   names in order, values most first
//   price:    {min, max} over the matches' prices, or null when nothing matched
#include <vector>

#include <nlohmann/json.hpp>

#include "search_index.hpp"
#include "shop/api/catalog.hpp"

namespace shop::search {

// `categories` names the categories counted; it may be empty when none were.
nlohmann::json facets_json(const SearchResult& result, const std::vector<api::CategoryInfo>& categories);
// What a search that matched nothing answers: no counts and no price range.
nlohmann::json empty_facets();

}  // namespace shop::search
