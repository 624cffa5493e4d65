#pragma once
// Categories: a tree (each may have a parent), listed in creation order.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "category_repository.hpp"
#include "shop/db/database.hpp"

namespace shop::product {

struct CategoryPage {
    std::vector<CategoryInfo> items;
    std::optional<nlohmann::json> next;
};

class CategoryService {
public:
    explicit CategoryService(db::Database& db) : db_(db) {}

    // 422 naming parent_id when the parent does not exist.
    CategoryInfo create(const std::string& name, const std::optional<std::string>& parent_id);
    CategoryPage list(int limit, const std::optional<nlohmann::json>& after);

private:
    db::Database& db_;
    CategoryRepository categories_;
};

}  // namespace shop::product
