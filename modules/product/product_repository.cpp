#include "product_repository.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace shop::product {

namespace {

constexpr std::string_view kColumns =
    "p.id, p.sku, p.name, p.description, p.price, p.currency, p.stock, p.category_id, p.attributes, p.images, "
    "p.status, p.version, p.created_at, p.updated_at, p.seq";

nlohmann::json parse_or(const std::string& text, nlohmann::json fallback) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? fallback : j;
}

ProductInfo from_row(const db::Row& r) {
    ProductInfo p;
    p.id = r.str(0);
    p.sku = r.str(1);
    p.name = r.str(2);
    p.description = r.str(3);
    p.price = r.i64(4);
    p.currency = r.str(5);
    p.stock = r.i64(6);
    p.category_id = r.opt_str(7);
    p.attributes = parse_or(r.str(8), nlohmann::json::object());
    p.images = parse_or(r.str(9), nlohmann::json::array());
    p.status = r.str(10);
    p.version = r.i64(11);
    p.created_at_ms = r.i64(12);
    p.updated_at_ms = r.i64(13);
    return p;
}

std::string select_by_id() {
    return "SELECT " + std::string(kColumns) + " FROM products p WHERE p.id = ?";
}

struct SortSql {
    const char* column;
    const char* after;  // keyset condition on (column, seq)
    const char* order;
};

SortSql sort_sql(Sort s) {
    switch (s) {
        case Sort::PriceAsc:
            return {"p.price", "(p.price, p.seq) > (?, ?)", "p.price ASC, p.seq ASC"};
        case Sort::PriceDesc:
            return {"p.price", "(p.price, p.seq) < (?, ?)", "p.price DESC, p.seq DESC"};
        case Sort::NameAsc:
            return {"p.name", "(p.name, p.seq) > (?, ?)", "p.name ASC, p.seq ASC"};
        case Sort::CreatedAsc:
            return {"p.created_at", "(p.created_at, p.seq) > (?, ?)", "p.created_at ASC, p.seq ASC"};
        case Sort::CreatedDesc:
            break;
    }
    return {"p.created_at", "(p.created_at, p.seq) < (?, ?)", "p.created_at DESC, p.seq DESC"};
}

}  // namespace

void ProductRepository::insert(db::Tx& tx, const ProductInfo& p) {
    tx.exec(
        "INSERT INTO products (id, sku, name, description, price, currency, stock, category_id, attributes, images, "
        "status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.id, p.sku, p.name, p.description, p.price, p.currency, p.stock, p.category_id, p.attributes.dump(),
        p.images.dump(), p.status, p.version, p.created_at_ms, p.updated_at_ms);
}

std::optional<ProductInfo> ProductRepository::find(db::Conn& c, std::string_view id) {
    static const std::string sql = select_by_id();
    auto row = c.query_one(sql, id);
    if (!row) return std::nullopt;
    return from_row(*row);
}

std::vector<ProductInfo> ProductRepository::find_many(db::Conn& c, const std::vector<std::string>& ids) {
    std::vector<ProductInfo> out;
    if (ids.empty()) return out;
    // One statement for a page of ids (search results), not one round trip each. The
    // placeholder count varies with the page size, so a few shapes get prepared.
    std::string sql =
        "SELECT " + std::string(kColumns) + " FROM products p WHERE p.id IN (" + db::placeholders(ids.size()) + ")";
    std::vector<db::Value> params(ids.begin(), ids.end());
    for (const auto& row : c.query_values(sql, params)) out.push_back(from_row(row));
    return out;
}

bool ProductRepository::sku_used_by_other(db::Conn& c, std::string_view sku, std::string_view except_id) {
    return c.query_one("SELECT 1 FROM products WHERE sku = ? AND id <> ?", sku, except_id).has_value();
}

bool ProductRepository::any(db::Conn& c) {
    return c.query_one("SELECT 1 FROM products LIMIT 1").has_value();
}

std::int64_t ProductRepository::count(db::Conn& c) {
    return c.query("SELECT count(*) FROM products").front().i64(0);
}

std::vector<ListedProduct> ProductRepository::list(db::Conn& c, const ListFilter& f, Sort sort,
                                                   const std::optional<Position>& after, int limit) {
    // The statement is assembled from fixed fragments chosen by which filters are present;
    // every value is a bound parameter.
    const SortSql s = sort_sql(sort);
    std::string sql;
    std::vector<db::Value> params;
    if (f.category) {
        sql +=
            "WITH RECURSIVE subtree(id) AS ("
            " SELECT id FROM categories WHERE id = ?"
            " UNION SELECT c.id FROM categories c JOIN subtree t ON c.parent_id = t.id) ";
        params.emplace_back(*f.category);
    }
    sql += "SELECT " + std::string(kColumns) + " FROM products p WHERE p.status = 'active'";
    if (f.category) sql += " AND p.category_id IN (SELECT id FROM subtree)";
    if (f.min_price) {
        sql += " AND p.price >= ?";
        params.emplace_back(*f.min_price);
    }
    if (f.max_price) {
        sql += " AND p.price <= ?";
        params.emplace_back(*f.max_price);
    }
    if (f.max_stock) {
        sql += " AND p.stock <= ?";
        params.emplace_back(*f.max_stock);
    }
    if (after) {
        sql += " AND ";
        sql += s.after;
        params.push_back(after->value);
        params.emplace_back(after->seq);
    }
    sql += " ORDER BY ";
    sql += s.order;
    sql += " LIMIT ?";
    params.emplace_back(std::int64_t{limit});

    std::vector<ListedProduct> out;
    for (const auto& row : c.query_values(sql, params)) out.push_back({from_row(row), row.i64(14)});
    return out;
}

bool ProductRepository::update(db::Tx& tx, const ProductInfo& p, std::int64_t expected_version) {
    return tx.exec(
               "UPDATE products SET sku = ?, name = ?, description = ?, price = ?, currency = ?, category_id = ?, "
               "attributes = ?, images = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
               p.sku, p.name, p.description, p.price, p.currency, p.category_id, p.attributes.dump(), p.images.dump(),
               p.updated_at_ms, p.id, expected_version) == 1;
}

bool ProductRepository::archive(db::Tx& tx, std::string_view id, std::int64_t now_ms) {
    return tx.exec(
               "UPDATE products SET status = 'archived', version = version + 1, updated_at = ? "
               "WHERE id = ? AND status = 'active'",
               now_ms, id) == 1;
}

std::optional<std::int64_t> ProductRepository::adjust_stock(db::Tx& tx, std::string_view id, std::int64_t delta,
                                                            std::int64_t now_ms) {
    auto row = tx.query_one(
        "UPDATE products SET stock = stock + ?, version = version + 1, updated_at = ? "
        "WHERE id = ? AND stock + ? >= 0 RETURNING stock",
        delta, now_ms, id, delta);
    if (!row) return std::nullopt;
    return row->i64(0);
}

bool ProductRepository::take_stock(db::Tx& tx, const std::map<std::string, std::int64_t>& wanted,
                                   std::int64_t now_ms) {
    if (wanted.empty()) return true;
    // One statement for every line, all or nothing: the scalar subquery counts the lines
    // that can be served and is computed once, before any row changes, so either each
    // product gives its quantity or none does. One round trip instead of a savepoint, an
    // update per line and a release: on a server database each is a network exchange.
    // Rows are found by primary key (IN) alone: the status test sits inside the quantity
    // wanted (NULL, so never met, for an inactive product), where no planner can pick a
    // status index over the key and have SERIALIZABLE lock more than these rows.
    std::string need_sql = "CASE WHEN status = 'active' THEN CASE id";
    std::vector<db::Value> need_params, key_params;
    for (const auto& [id, qty] : wanted) {
        need_sql += " WHEN ? THEN ?";
        need_params.emplace_back(id);
        need_params.emplace_back(qty);
        key_params.emplace_back(id);
    }
    need_sql += " END END";
    std::string sql = "UPDATE products SET stock = stock - " + need_sql + ", version = version + 1, updated_at = ? " +
                      "WHERE id IN (" + db::placeholders(wanted.size()) + ") AND stock >= " + need_sql +
                      " AND (SELECT count(*) FROM products WHERE id IN (" + db::placeholders(wanted.size()) +
                      ") AND stock >= " + need_sql + ") = ?";
    std::vector<db::Value> params = need_params;
    params.emplace_back(now_ms);
    for (const auto* part : {&key_params, &need_params, &key_params, &need_params})
        params.insert(params.end(), part->begin(), part->end());
    params.emplace_back(static_cast<std::int64_t>(wanted.size()));
    std::int64_t changed = tx.exec_values(sql, params);
    // Writers are serialised (SQLite) or SERIALIZABLE (PostgreSQL), so the rows cannot
    // change between the count and the updates; a partial take would be a bug, and the
    // exception rolls the caller's transaction back rather than keep it.
    if (changed != 0 && changed != static_cast<std::int64_t>(wanted.size()))
        throw std::logic_error("stock reservation changed only some of its products");
    return changed != 0;
}

void ProductRepository::put_back_stock(db::Tx& tx, std::string_view id, std::int64_t qty, std::int64_t now_ms) {
    tx.exec("UPDATE products SET stock = stock + ?, version = version + 1, updated_at = ? WHERE id = ?", qty, now_ms,
            id);
}

}  // namespace shop::product
