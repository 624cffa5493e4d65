#include "product_repository.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace shop::product {

namespace {

constexpr std::string_view kColumns =
    "p.id, p.sku, p.name, p.description, p.price, p.currency, p.stock, p.category_id, p.attributes, p.images, "
    "p.status, p.version, p.created_at, p.updated_at, p.seq, p.options, p.price_max";

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
    p.options = parse_or(r.str(15), nlohmann::json::array());
    p.price_max = r.i64(16);
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
        "INSERT INTO products (id, sku, name, description, price, price_max, currency, stock, category_id, attributes, "
        "images, status, version, created_at, updated_at, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.id, p.sku, p.name, p.description, p.price, p.price_max, p.currency, p.stock, p.category_id,
        p.attributes.dump(), p.images.dump(), p.status, p.version, p.created_at_ms, p.updated_at_ms, p.options.dump());
}

std::optional<ProductInfo> ProductRepository::find(db::Conn& c, std::string_view id) {
    static const std::string sql = select_by_id();
    auto row = c.query_one(sql, id);
    if (!row) return std::nullopt;
    ProductInfo p = from_row(*row);
    p.variants = variants_.of_products(c, {p.id})[p.id];
    return p;
}

void ProductRepository::attach_variants(db::Conn& c, std::vector<ProductInfo*> products) {
    std::vector<std::string> ids;
    for (const auto* p : products) ids.push_back(p->id);
    auto variants = variants_.of_products(c, ids);
    for (auto* p : products) p->variants = std::move(variants[p->id]);
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
    std::vector<ProductInfo*> all;
    for (auto& p : out) all.push_back(&p);
    attach_variants(c, all);
    return out;
}

bool ProductRepository::sku_used_by_other(db::Conn& c, std::string_view sku, std::string_view except_id) {
    return c.query_one("SELECT 1 FROM products WHERE sku = ? AND id <> ? "
                       "UNION ALL SELECT 1 FROM product_variants WHERE sku = ? AND product_id <> ?",
                       sku, except_id, sku, except_id)
        .has_value();
}

std::vector<ProductInfo> ProductRepository::all(db::Conn& c) {
    static const std::string sql = "SELECT " + std::string(kColumns) + " FROM products p ORDER BY p.seq";
    std::vector<ProductInfo> out;
    for (const auto& row : c.query(sql)) out.push_back(from_row(row));
    // Variants in pages of ids, so no statement has more placeholders than a backend takes.
    constexpr std::size_t kPage = 500;
    for (std::size_t i = 0; i < out.size(); i += kPage) {
        std::vector<ProductInfo*> page;
        for (std::size_t k = i; k < std::min(out.size(), i + kPage); ++k) page.push_back(&out[k]);
        attach_variants(c, page);
    }
    return out;
}

void ProductRepository::set_options(db::Tx& tx, std::string_view id, const nlohmann::json& options,
                                    std::int64_t now_ms) {
    tx.exec("UPDATE products SET options = ?, updated_at = ? WHERE id = ?", options.dump(), now_ms, id);
}

bool ProductRepository::restore(db::Tx& tx, std::string_view id, std::int64_t now_ms) {
    return tx.exec(
               "UPDATE products SET status = 'active', version = version + 1, updated_at = ? "
               "WHERE id = ? AND status = 'archived'",
               now_ms, id) == 1;
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
    // The category's subtree arrives as ids, not as a recursive CTE in this statement: with
    // `category_id IN (SELECT id FROM subtree)` the planner cannot tell how many categories
    // that is and scanned the whole (status, price) or (status, created_at) index, filtering;
    // with a list of ids it walks products_category_created / products_category_price per
    // category (docs/performance.md). The statement shape varies with the subtree's size.
    if (f.category && f.category_ids.empty()) return {};
    // A category page picks its rows' keys first, from an index that covers the filter and
    // the order (products_category_price_created, products_category_created,
    // products_category_price), then reads only those rows: sorting the whole rows of every
    // product under the ceiling read thousands of table pages (docs/performance.md).
    if (f.category)
        sql += "SELECT p.seq FROM products p WHERE p.status = 'active'";
    else
        sql += "SELECT " + std::string(kColumns) + " FROM products p WHERE p.status = 'active'";
    if (f.category) {
        sql += " AND p.category_id IN (" + db::placeholders(f.category_ids.size()) + ")";
        for (const auto& id : f.category_ids) params.emplace_back(id);
    }
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
    if (f.in_stock) sql += *f.in_stock ? " AND p.stock > 0" : " AND p.stock = 0";
    if (!f.options.empty()) {
        // One active, in-stock variant with every value asked for: each pair matches at
        // most one row of that variant (the key is variant and name), so counting the
        // matches tells whether all are there.
        sql +=
            " AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.status = 'active'"
            " AND v.stock > 0 AND (SELECT count(*) FROM variant_option_values o WHERE o.variant_id = v.id AND (";
        for (std::size_t i = 0; i < f.options.size(); ++i) {
            sql += i ? " OR (o.name = ? AND o.value = ?)" : "(o.name = ? AND o.value = ?)";
            params.emplace_back(f.options[i].first);
            params.emplace_back(f.options[i].second);
        }
        sql += ")) = ?)";
        params.emplace_back(static_cast<std::int64_t>(f.options.size()));
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
    if (f.category)
        sql = "SELECT " + std::string(kColumns) + " FROM products p WHERE p.seq IN (" + sql + ") ORDER BY " +
              std::string(s.order);
    params.emplace_back(std::int64_t{limit});

    std::vector<ListedProduct> out;
    for (const auto& row : c.query_values(sql, params)) out.push_back({from_row(row), row.i64(14)});
    std::vector<ProductInfo*> all;
    for (auto& l : out) all.push_back(&l.product);
    attach_variants(c, all);
    return out;
}

bool ProductRepository::update(db::Tx& tx, const ProductInfo& p, std::int64_t expected_version) {
    return tx.exec(
               "UPDATE products SET sku = ?, name = ?, description = ?, price = ?, price_max = ?, currency = ?, "
               "category_id = ?, attributes = ?, images = ?, version = version + 1, updated_at = ? "
               "WHERE id = ? AND version = ?",
               p.sku, p.name, p.description, p.price, p.price_max, p.currency, p.category_id, p.attributes.dump(),
               p.images.dump(), p.updated_at_ms, p.id, expected_version) == 1;
}

bool ProductRepository::archive(db::Tx& tx, std::string_view id, std::int64_t now_ms) {
    return tx.exec(
               "UPDATE products SET status = 'archived', version = version + 1, updated_at = ? "
               "WHERE id = ? AND status = 'active'",
               now_ms, id) == 1;
}

}  // namespace shop::product
