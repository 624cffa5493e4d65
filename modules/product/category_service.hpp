#pragma once
// Categories: a tree (each may have a parent), listed in creation order.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "category_repository.hpp"
#include "shop/db/database.hpp"

namespace shop::product {


class CategoryService {
public:
    explicit CategoryService(db::Database& db) : db_(db) {}

    // 422 naming parent_id when the parent does not exist.
    CategoryInfo create(const std::string& name, const std::optional<std::string>& parent_id);
    // In creation order, after the one numbered after_seq.
    std::vector<ListedCategory> list(std::optional<std::int64_t> after_seq, int limit);

private:
    db::Database& db_;
    CategoryRepository categories_;
};

}  // namespace shop::product
