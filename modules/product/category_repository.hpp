#pragma once
// All SQL of the categories table, including the recursive walk down a category's tree.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shop/api/catalog.hpp"
#include "shop/db/database.hpp"

namespace shop::product {

using api::CategoryInfo;

struct ListedCategory {
    CategoryInfo category;
    std::int64_t seq = 0;
};

class CategoryRepository {
public:
    void insert(db::Tx& tx, const CategoryInfo& c, std::int64_t now_ms);
    bool exists(db::Conn& c, std::string_view id);
    std::optional<CategoryInfo> find(db::Conn& c, std::string_view id);
    // In creation order, strictly after the category with seq `after_seq`.
    std::vector<ListedCategory> list(db::Conn& c, std::optional<std::int64_t> after_seq, int limit);
    std::vector<CategoryInfo> all(db::Conn& c);
    // The category itself first, then its descendants; empty for an unknown id.
    std::vector<std::string> subtree(db::Conn& c, std::string_view id);
    void update(db::Tx& tx, const CategoryInfo& c);
    void remove(db::Tx& tx, std::string_view id);
    // Whether any category is its child, or any product (archived ones too) is in it.
    bool has_children(db::Conn& c, std::string_view id);
    bool has_products(db::Conn& c, std::string_view id);
};

}  // namespace shop::product
