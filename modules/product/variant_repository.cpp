#include "variant_repository.hpp"

#include <stdexcept>

#include "variant_rules.hpp"

namespace shop::product {

namespace {

constexpr std::string_view kColumns = "id, product_id, sku, options, price, stock, status";

VariantInfo from_row(const db::Row& r) {
    VariantInfo v;
    v.id = r.str(0);
    v.product_id = r.str(1);
    v.sku = r.str(2);
    auto options = nlohmann::json::parse(r.str(3), nullptr, false);
    v.options = options.is_object() ? std::move(options) : nlohmann::json::object();
    v.price = r.i64(4);
    v.stock = r.i64(5);
    v.status = r.str(6);
    return v;
}

std::vector<db::Value> values_of(const std::vector<std::string>& ids) {
    return {ids.begin(), ids.end()};
}

}  // namespace

void VariantRepository::insert(db::Tx& tx, const VariantInfo& v, std::int64_t now_ms) {
    tx.exec(
        "INSERT INTO product_variants (id, product_id, sku, options, option_key, price, stock, status, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        v.id, v.product_id, v.sku, v.options.dump(), option_key(v.options), v.price, v.stock, v.status, now_ms,
        now_ms);
    for (const auto& [name, value] : v.options.items())
        tx.exec("INSERT INTO variant_option_values (variant_id, name, value) VALUES (?, ?, ?)", v.id, name,
                value.get<std::string>());
}

std::optional<VariantInfo> VariantRepository::find(db::Conn& c, std::string_view id) {
    static const std::string sql = "SELECT " + std::string(kColumns) + " FROM product_variants WHERE id = ?";
    auto row = c.query_one(sql, id);
    if (!row) return std::nullopt;
    return from_row(*row);
}

std::optional<VariantInfo> VariantRepository::find_by_sku(db::Conn& c, std::string_view sku) {
    static const std::string sql = "SELECT " + std::string(kColumns) + " FROM product_variants WHERE sku = ?";
    auto row = c.query_one(sql, sku);
    if (!row) return std::nullopt;
    return from_row(*row);
}

bool VariantRepository::set_status(db::Tx& tx, std::string_view id, std::string_view status, std::int64_t now_ms) {
    return tx.exec("UPDATE product_variants SET status = ?, updated_at = ? WHERE id = ?", status, now_ms, id) == 1;
}

std::vector<VariantInfo> VariantRepository::find_many(db::Conn& c, const std::vector<std::string>& ids) {
    std::vector<VariantInfo> out;
    if (ids.empty()) return out;
    const std::string sql = "SELECT " + std::string(kColumns) + " FROM product_variants WHERE id IN (" +
                            db::placeholders(ids.size()) + ")";
    for (const auto& row : c.query_values(sql, values_of(ids))) out.push_back(from_row(row));
    return out;
}

std::map<std::string, std::vector<VariantInfo>> VariantRepository::of_products(db::Conn& c,
                                                                              const std::vector<std::string>& ids) {
    std::map<std::string, std::vector<VariantInfo>> out;
    if (ids.empty()) return out;
    const std::string sql = "SELECT " + std::string(kColumns) + " FROM product_variants WHERE product_id IN (" +
                            db::placeholders(ids.size()) + ") ORDER BY seq";
    for (const auto& row : c.query_values(sql, values_of(ids))) {
        VariantInfo v = from_row(row);
        out[v.product_id].push_back(std::move(v));
    }
    return out;
}

bool VariantRepository::sku_taken(db::Conn& c, std::string_view sku, std::string_view product_id,
                                  std::string_view except_variant) {
    return c.query_one("SELECT 1 FROM product_variants WHERE sku = ? AND id <> ? "
                       "UNION ALL SELECT 1 FROM products WHERE sku = ? AND id <> ?",
                       sku, except_variant, sku, product_id)
        .has_value();
}

bool VariantRepository::update(db::Tx& tx, const VariantInfo& v, std::int64_t now_ms) {
    return tx.exec("UPDATE product_variants SET sku = ?, price = ?, updated_at = ? WHERE id = ? AND product_id = ?",
                   v.sku, v.price, now_ms, v.id, v.product_id) == 1;
}

std::optional<VariantInfo> VariantRepository::archive(db::Tx& tx, std::string_view product_id, std::string_view id,
                                                      std::int64_t now_ms) {
    static const std::string sql =
        "UPDATE product_variants SET status = 'archived', updated_at = ? "
        "WHERE id = ? AND product_id = ? AND status = 'active' RETURNING " +
        std::string(kColumns);
    auto row = tx.query_one(sql, now_ms, id, product_id);
    if (!row) return std::nullopt;
    return from_row(*row);
}

std::optional<StockChange> VariantRepository::adjust_stock(db::Tx& tx, std::string_view product_id,
                                                           std::string_view id, std::int64_t delta,
                                                           std::int64_t now_ms) {
    auto row = tx.query_one(
        "UPDATE product_variants SET stock = stock + ?, updated_at = ? "
        "WHERE id = ? AND product_id = ? AND stock + ? >= 0 RETURNING stock, status",
        delta, now_ms, id, product_id, delta);
    if (!row) return std::nullopt;
    StockChange change{std::string(id), std::string(product_id), row->i64(0), row->str(1) == "active"};
    // An archived variant's stock is not the product's: only an active one moves the sum.
    std::map<std::string, std::int64_t> shift{{change.product_id, change.active ? delta : 0}};
    shift_product_stock(tx, shift, now_ms, false);
    return change;
}

bool VariantRepository::take_stock(db::Tx& tx, const std::map<std::string, std::int64_t>& wanted,
                                   std::int64_t now_ms) {
    if (wanted.empty()) return true;
    // One statement for every line, all or nothing: the scalar subquery counts the lines
    // that can be served and is computed once, before any row changes, so either each
    // variant gives its quantity or none does. One round trip instead of a savepoint, an
    // update per line and a release: on a server database each is a network exchange.
    // Rows are found by primary key (IN) alone: the status test sits inside the quantity
    // wanted (NULL, so never met, for an archived variant), where no planner can pick a
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
    std::string sql = "UPDATE product_variants SET stock = stock - " + need_sql + ", updated_at = ? WHERE id IN (" +
                      db::placeholders(wanted.size()) + ") AND stock >= " + need_sql +
                      " AND (SELECT count(*) FROM product_variants WHERE id IN (" + db::placeholders(wanted.size()) +
                      ") AND stock >= " + need_sql + ") = ? RETURNING product_id, id";
    std::vector<db::Value> params = need_params;
    params.emplace_back(now_ms);
    for (const auto* part : {&key_params, &need_params, &key_params, &need_params})
        params.insert(params.end(), part->begin(), part->end());
    params.emplace_back(static_cast<std::int64_t>(wanted.size()));
    std::map<std::string, std::int64_t> by_product;
    std::size_t changed = 0;
    for (const auto& row : tx.query_values(sql, params)) {
        by_product[row.str(0)] -= wanted.at(row.str(1));
        ++changed;
    }
    if (changed == 0) return false;
    // Writers are serialised (SQLite) or SERIALIZABLE (PostgreSQL), so the rows cannot
    // change between the count and the updates; a partial take would be a bug, and the
    // exception rolls the caller's transaction back rather than keep it.
    if (changed != wanted.size()) throw std::logic_error("stock reservation changed only some of its variants");
    // An archived product sells nothing, whatever its variants say.
    return shift_product_stock(tx, by_product, now_ms, true) == static_cast<std::int64_t>(by_product.size());
}

void VariantRepository::put_back_stock(db::Tx& tx, const std::map<std::string, std::int64_t>& given,
                                       std::int64_t now_ms) {
    if (given.empty()) return;
    std::string sql = "UPDATE product_variants SET stock = stock + CASE id";
    std::vector<db::Value> params;
    for (const auto& [id, qty] : given) {
        sql += " WHEN ? THEN ?";
        params.emplace_back(id);
        params.emplace_back(qty);
    }
    sql += " END, updated_at = ? WHERE id IN (" + db::placeholders(given.size()) + ") RETURNING product_id, id, status";
    params.emplace_back(now_ms);
    for (const auto& [id, _] : given) params.emplace_back(id);
    std::map<std::string, std::int64_t> by_product;
    for (const auto& row : tx.query_values(sql, params))
        by_product[row.str(0)] += row.str(2) == "active" ? given.at(row.str(1)) : 0;
    shift_product_stock(tx, by_product, now_ms, false);
}

std::int64_t VariantRepository::shift_product_stock(db::Tx& tx, const std::map<std::string, std::int64_t>& delta,
                                                    std::int64_t now_ms, bool active_only) {
    if (delta.empty()) return 0;
    std::string sql = "UPDATE products SET stock = stock + CASE id";
    std::vector<db::Value> params;
    for (const auto& [id, d] : delta) {
        sql += " WHEN ? THEN ?";
        params.emplace_back(id);
        params.emplace_back(d);
    }
    sql += " END, version = version + 1, updated_at = ? WHERE id IN (" + db::placeholders(delta.size()) + ")";
    // An expression, not the column: without statistics SQLite 3.40 plans `id IN (3 ids) AND
    // status = ?` as a walk of the (status, price) index over every active product (about
    // 380,000 steps on 100,000 products) instead of three key look-ups.
    if (active_only) sql += " AND (status || '') = 'active'";
    params.emplace_back(now_ms);
    for (const auto& [id, _] : delta) params.emplace_back(id);
    return tx.exec_values(sql, params);
}

void VariantRepository::refresh_product(db::Tx& tx, std::string_view product_id, std::int64_t now_ms) {
    // Under PostgreSQL's SERIALIZABLE a concurrent change to a sibling variant makes one of
    // the two transactions retry, so the sums read here are never stale when written.
    tx.exec(
        "UPDATE products SET"
        " price = COALESCE((SELECT MIN(v.price) FROM product_variants v"
        "   WHERE v.product_id = products.id AND v.status = 'active'), price),"
        " price_max = COALESCE((SELECT MAX(v.price) FROM product_variants v"
        "   WHERE v.product_id = products.id AND v.status = 'active'), price_max),"
        " stock = COALESCE((SELECT SUM(v.stock) FROM product_variants v"
        "   WHERE v.product_id = products.id AND v.status = 'active'), 0),"
        " version = version + 1, updated_at = ? WHERE id = ?",
        now_ms, product_id);
}

}  // namespace shop::product
