#include "discount_repository.hpp"

#include <nlohmann/json.hpp>

namespace shop::order {

namespace {
constexpr const char* kColumns =
    "SELECT id, code, type, value, min_subtotal, starts_at, ends_at, usage_limit, per_customer_limit, product_ids, "
    "category_ids, active, used, created_at, updated_at FROM discounts ";

std::vector<std::string> ids_from_text(const std::string& text) {
    std::vector<std::string> out;
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_array()) return out;
    for (const auto& v : j)
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

std::string ids_to_text(const std::vector<std::string>& ids) {
    return nlohmann::json(ids).dump();
}

Discount from_row(const db::Row& r) {
    Discount d;
    d.id = r.str(0);
    d.code = r.str(1);
    d.type = discount_type_from_string(r.str(2)).value_or(DiscountType::Percentage);
    d.value = r.i64(3);
    d.min_subtotal = r.opt_i64(4);
    d.starts_at_ms = r.opt_i64(5);
    d.ends_at_ms = r.opt_i64(6);
    d.usage_limit = r.opt_i64(7);
    d.per_customer_limit = r.opt_i64(8);
    d.product_ids = ids_from_text(r.str(9));
    d.category_ids = ids_from_text(r.str(10));
    d.active = r.i64(11) != 0;
    d.usage_count = r.i64(12);
    d.created_at_ms = r.i64(13);
    d.updated_at_ms = r.i64(14);
    return d;
}
}  // namespace

void DiscountRepository::insert(db::Tx& tx, const Discount& d) {
    tx.exec(
        "INSERT INTO discounts(id, code, code_key, type, value, min_subtotal, starts_at, ends_at, usage_limit, "
        "per_customer_limit, product_ids, category_ids, active, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        d.id, d.code, ascii_lower(d.code), to_string(d.type), d.value, d.min_subtotal, d.starts_at_ms, d.ends_at_ms,
        d.usage_limit, d.per_customer_limit, ids_to_text(d.product_ids), ids_to_text(d.category_ids), d.active,
        d.created_at_ms, d.updated_at_ms);
}

void DiscountRepository::update(db::Tx& tx, const Discount& d) {
    tx.exec(
        "UPDATE discounts SET code = ?, code_key = ?, type = ?, value = ?, min_subtotal = ?, starts_at = ?, "
        "ends_at = ?, usage_limit = ?, per_customer_limit = ?, product_ids = ?, category_ids = ?, active = ?, "
        "updated_at = ? WHERE id = ?",
        d.code, ascii_lower(d.code), to_string(d.type), d.value, d.min_subtotal, d.starts_at_ms, d.ends_at_ms,
        d.usage_limit, d.per_customer_limit, ids_to_text(d.product_ids), ids_to_text(d.category_ids), d.active,
        d.updated_at_ms, d.id);
}

std::optional<Discount> DiscountRepository::find(db::Conn& c, std::string_view id) {
    auto row = c.query_one(std::string(kColumns) + "WHERE id = ?", id);
    if (!row) return std::nullopt;
    return from_row(*row);
}

std::vector<Discount> DiscountRepository::list(db::Conn& c, const std::optional<ListKey>& after, int limit) {
    db::Rows rows = after ? c.query(std::string(kColumns) +
                                        "WHERE created_at > ? OR (created_at = ? AND id > ?) "
                                        "ORDER BY created_at, id LIMIT ?",
                                    after->created_at_ms, after->created_at_ms, after->id, limit)
                          : c.query(std::string(kColumns) + "ORDER BY created_at, id LIMIT ?", limit);
    std::vector<Discount> out;
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

bool DiscountRepository::code_taken(db::Conn& c, std::string_view code, std::string_view except_id) {
    return c.query_one("SELECT 1 FROM discounts WHERE code_key = ? AND id <> ?", ascii_lower(code), except_id).has_value();
}

std::optional<Discount> DiscountRepository::find_by_code(db::Conn& c, std::string_view code) {
    auto row = c.query_one(std::string(kColumns) + "WHERE code_key = ?", ascii_lower(code));
    if (!row) return std::nullopt;
    return from_row(*row);
}

}  // namespace shop::order
