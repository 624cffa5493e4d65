#include "category_repository.hpp"

namespace shop::product {

namespace {
CategoryInfo from_row(const db::Row& r) {
    return {r.str(0), r.str(1), r.opt_str(2)};
}
}  // namespace

void CategoryRepository::insert(db::Tx& tx, const CategoryInfo& c, std::int64_t now_ms) {
    tx.exec("INSERT INTO categories (id, name, parent_id, created_at) VALUES (?, ?, ?, ?)", c.id, c.name, c.parent_id,
            now_ms);
}

bool CategoryRepository::exists(db::Conn& c, std::string_view id) {
    return c.query_one("SELECT 1 FROM categories WHERE id = ?", id).has_value();
}

std::optional<CategoryInfo> CategoryRepository::find(db::Conn& c, std::string_view id) {
    auto row = c.query_one("SELECT id, name, parent_id FROM categories WHERE id = ?", id);
    if (!row) return std::nullopt;
    return from_row(*row);
}

std::vector<ListedCategory> CategoryRepository::list(db::Conn& c, std::optional<std::int64_t> after_seq, int limit) {
    std::vector<ListedCategory> out;
    auto rows = c.query("SELECT id, name, parent_id, seq FROM categories WHERE seq > ? ORDER BY seq LIMIT ?",
                        after_seq.value_or(0), limit);
    for (const auto& r : rows) out.push_back({from_row(r), r.i64(3)});
    return out;
}

std::vector<CategoryInfo> CategoryRepository::all(db::Conn& c) {
    std::vector<CategoryInfo> out;
    for (const auto& r : c.query("SELECT id, name, parent_id FROM categories ORDER BY seq")) out.push_back(from_row(r));
    return out;
}

std::vector<std::string> CategoryRepository::subtree(db::Conn& c, std::string_view id) {
    // A move that would close a cycle is refused (CategoryService::update), so the tree has
    // none; the depth bound is a guard all the same, as a cycle would make the walk endless.
    auto rows = c.query(
        "WITH RECURSIVE subtree(id, depth) AS ("
        " SELECT id, 0 FROM categories WHERE id = ?"
        " UNION SELECT c.id, t.depth + 1 FROM categories c JOIN subtree t ON c.parent_id = t.id"
        " WHERE t.depth < 64)"
        " SELECT id FROM subtree ORDER BY depth, id",
        id);
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.str(0));
    return out;
}

void CategoryRepository::update(db::Tx& tx, const CategoryInfo& c) {
    tx.exec("UPDATE categories SET name = ?, parent_id = ? WHERE id = ?", c.name, c.parent_id, c.id);
}

void CategoryRepository::remove(db::Tx& tx, std::string_view id) {
    tx.exec("DELETE FROM categories WHERE id = ?", id);
}

bool CategoryRepository::has_children(db::Conn& c, std::string_view id) {
    return c.query_one("SELECT 1 FROM categories WHERE parent_id = ? LIMIT 1", id).has_value();
}

bool CategoryRepository::has_products(db::Conn& c, std::string_view id) {
    return c.query_one("SELECT 1 FROM products WHERE category_id = ? LIMIT 1", id).has_value();
}

}  // namespace shop::product
