#include "tax_repository.hpp"

namespace shop::order {

namespace {
constexpr const char* kColumns =
    "SELECT id, country, region, name, rate_bp, shipping_taxable, created_at, updated_at FROM tax_rates ";

TaxRate from_row(const db::Row& r) {
    return {r.str(0), r.str(1), r.str(2), r.str(3), r.i64(4), r.i64(5) != 0, r.i64(6), r.i64(7)};
}
}  // namespace

void TaxRepository::insert(db::Tx& tx, const TaxRate& t) {
    tx.exec(
        "INSERT INTO tax_rates(id, country, region, name, rate_bp, shipping_taxable, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        t.id, t.country, t.region, t.name, t.rate_bp, t.shipping_taxable, t.created_at_ms, t.updated_at_ms);
}

void TaxRepository::update(db::Tx& tx, const TaxRate& t) {
    tx.exec(
        "UPDATE tax_rates SET country = ?, region = ?, name = ?, rate_bp = ?, shipping_taxable = ?, "
        "updated_at = ? WHERE id = ?",
        t.country, t.region, t.name, t.rate_bp, t.shipping_taxable, t.updated_at_ms, t.id);
}

bool TaxRepository::remove(db::Tx& tx, std::string_view id) {
    return tx.exec("DELETE FROM tax_rates WHERE id = ?", id) == 1;
}

std::optional<TaxRate> TaxRepository::find(db::Conn& c, std::string_view id) {
    auto row = c.query_one(std::string(kColumns) + "WHERE id = ?", id);
    if (!row) return std::nullopt;
    return from_row(*row);
}

std::vector<TaxRate> TaxRepository::list(db::Conn& c, const std::optional<ListKey>& after, int limit) {
    db::Rows rows = after ? c.query(std::string(kColumns) +
                                        "WHERE created_at > ? OR (created_at = ? AND id > ?) "
                                        "ORDER BY created_at, id LIMIT ?",
                                    after->created_at_ms, after->created_at_ms, after->id, limit)
                          : c.query(std::string(kColumns) + "ORDER BY created_at, id LIMIT ?", limit);
    std::vector<TaxRate> out;
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

bool TaxRepository::place_taken(db::Conn& c, std::string_view country, std::string_view region,
                                std::string_view except_id) {
    return c
        .query_one("SELECT 1 FROM tax_rates WHERE country = ? AND region = ? AND id <> ?", country, region, except_id)
        .has_value();
}

std::vector<TaxRate> TaxRepository::rates_for_country(db::Conn& c, std::string_view country) {
    std::vector<TaxRate> out;
    for (const auto& row : c.query(std::string(kColumns) + "WHERE country = ?", country)) out.push_back(from_row(row));
    return out;
}

}  // namespace shop::order
