#pragma once
// Categories: a tree (each may have a parent), listed in creation order.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "category_repository.hpp"
#include "shop/db/database.hpp"

namespace shop::product {


// A PATCH: absent fields stay; parent_id may be set to null (a top-level category).
struct CategoryChange {
    std::optional<std::string> name;
    std::optional<std::optional<std::string>> parent_id;
};

class CategoryService {
public:
    explicit CategoryService(db::Database& db) : db_(db) {}

    // 422 naming parent_id when the parent does not exist.
    CategoryInfo create(const std::string& name, const std::optional<std::string>& parent_id);
    // In creation order, after the one numbered after_seq.
    std::vector<ListedCategory> list(std::optional<std::int64_t> after_seq, int limit);
    std::optional<CategoryInfo> find(const std::string& id);
    // Renames or moves it, with category.updated when anything changed: 404 for an unknown
    // category, 422 naming parent_id for an unknown parent or a move under itself or one of
    // its descendants (the tree stays a tree).
    CategoryInfo update(const std::string& id, const CategoryChange& change);
    // 404 unknown; 409 category_not_empty while a category or a product is in it.
    void remove(const std::string& id);

private:
    db::Database& db_;
    CategoryRepository categories_;
};

}  // namespace shop::product
