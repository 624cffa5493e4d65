#include "shipping_repository.hpp"

#include <map>

namespace shop::order {

namespace {
constexpr const char* kZoneColumns = "SELECT id, name, created_at, updated_at FROM shipping_zones ";
constexpr const char* kRateColumns =
    "SELECT id, zone_id, name, price, free_over, min_subtotal, max_subtotal, created_at, updated_at "
    "FROM shipping_rates ";

ShippingZone zone_from_row(const db::Row& r) {
    ShippingZone z;
    z.id = r.str(0);
    z.name = r.str(1);
    z.created_at_ms = r.i64(2);
    z.updated_at_ms = r.i64(3);
    return z;
}

ShippingRate rate_from_row(const db::Row& r) {
    return {r.str(0), r.str(1), r.str(2), r.i64(3), r.opt_i64(4), r.opt_i64(5), r.opt_i64(6), r.i64(7), r.i64(8)};
}
}  // namespace

void ShippingRepository::insert_zone(db::Tx& tx, const ShippingZone& z) {
    tx.exec("INSERT INTO shipping_zones(id, name, created_at, updated_at) VALUES (?, ?, ?, ?)", z.id, z.name,
            z.created_at_ms, z.updated_at_ms);
    insert_countries(tx, z);
}

void ShippingRepository::update_zone(db::Tx& tx, const ShippingZone& z) {
    tx.exec("UPDATE shipping_zones SET name = ?, updated_at = ? WHERE id = ?", z.name, z.updated_at_ms, z.id);
    tx.exec("DELETE FROM shipping_zone_countries WHERE zone_id = ?", z.id);
    insert_countries(tx, z);
}

void ShippingRepository::insert_countries(db::Tx& tx, const ShippingZone& z) {
    if (z.countries.empty()) return;
    // One statement for the whole list: one round trip to a server database.
    std::string sql = "INSERT INTO shipping_zone_countries(country, zone_id) VALUES ";
    std::vector<db::Value> params;
    for (std::size_t i = 0; i < z.countries.size(); ++i) {
        sql += i ? ", (?, ?)" : "(?, ?)";
        params.emplace_back(z.countries[i]);
        params.emplace_back(z.id);
    }
    tx.exec_values(sql, params);
}

bool ShippingRepository::remove_zone(db::Tx& tx, std::string_view id) {
    tx.exec("DELETE FROM shipping_rates WHERE zone_id = ?", id);
    tx.exec("DELETE FROM shipping_zone_countries WHERE zone_id = ?", id);
    return tx.exec("DELETE FROM shipping_zones WHERE id = ?", id) == 1;
}

std::optional<ShippingZone> ShippingRepository::find_zone(db::Conn& c, std::string_view id) {
    auto row = c.query_one(std::string(kZoneColumns) + "WHERE id = ?", id);
    if (!row) return std::nullopt;
    std::vector<ShippingZone> one{zone_from_row(*row)};
    load(c, one);
    return std::move(one.front());
}

std::vector<ShippingZone> ShippingRepository::list_zones(db::Conn& c, const std::optional<ListKey>& after, int limit) {
    std::vector<ShippingZone> out;
    db::Rows rows = after ? c.query(std::string(kZoneColumns) +
                                        "WHERE created_at > ? OR (created_at = ? AND id > ?) "
                                        "ORDER BY created_at, id LIMIT ?",
                                    after->created_at_ms, after->created_at_ms, after->id, limit)
                          : c.query(std::string(kZoneColumns) + "ORDER BY created_at, id LIMIT ?", limit);
    for (const auto& r : rows) out.push_back(zone_from_row(r));
    load(c, out);
    return out;
}

void ShippingRepository::load(db::Conn& c, std::vector<ShippingZone>& zones) {
    if (zones.empty()) return;
    // Two queries for the whole page, not two per zone.
    std::vector<db::Value> ids;
    std::map<std::string, ShippingZone*> by_id;
    for (auto& z : zones) {
        ids.emplace_back(z.id);
        by_id[z.id] = &z;
    }
    std::string sql = "SELECT zone_id, country FROM shipping_zone_countries WHERE zone_id IN (" +
                      db::placeholders(ids.size()) + ") ORDER BY country";
    for (const auto& r : c.query_values(sql, ids)) by_id[r.str(0)]->countries.push_back(r.str(1));
    sql = std::string(kRateColumns) + "WHERE zone_id IN (" + db::placeholders(ids.size()) + ") ORDER BY created_at, id";
    for (const auto& r : c.query_values(sql, ids)) by_id[r.str(1)]->rates.push_back(rate_from_row(r));
}

std::optional<CountryOwner> ShippingRepository::country_owner(db::Conn& c, const std::vector<std::string>& countries,
                                                              std::string_view zone_id) {
    if (countries.empty()) return std::nullopt;
    std::vector<db::Value> params{db::Value(std::string(zone_id))};
    for (const auto& country : countries) params.emplace_back(country);
    std::string sql = "SELECT country, zone_id FROM shipping_zone_countries WHERE zone_id <> ? AND country IN (" +
                      db::placeholders(countries.size()) + ") ORDER BY country LIMIT 1";
    auto rows = c.query_values(sql, params);
    if (rows.empty()) return std::nullopt;
    return CountryOwner{rows.front().str(0), rows.front().str(1)};
}

void ShippingRepository::insert_rate(db::Tx& tx, const ShippingRate& r) {
    tx.exec(
        "INSERT INTO shipping_rates(id, zone_id, name, price, free_over, min_subtotal, max_subtotal, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.id, r.zone_id, r.name, r.price, r.free_over, r.min_subtotal, r.max_subtotal, r.created_at_ms,
        r.updated_at_ms);
}

void ShippingRepository::update_rate(db::Tx& tx, const ShippingRate& r) {
    tx.exec(
        "UPDATE shipping_rates SET name = ?, price = ?, free_over = ?, min_subtotal = ?, max_subtotal = ?, "
        "updated_at = ? WHERE id = ?",
        r.name, r.price, r.free_over, r.min_subtotal, r.max_subtotal, r.updated_at_ms, r.id);
}

void ShippingRepository::remove_rate(db::Tx& tx, std::string_view rate_id) {
    tx.exec("DELETE FROM shipping_rates WHERE id = ?", rate_id);
}

bool ShippingRepository::any_zone(db::Conn& c) {
    return c.query_one("SELECT 1 FROM shipping_zones LIMIT 1").has_value();
}

std::optional<ShippingZone> ShippingRepository::zone_for_country(db::Conn& c, std::string_view country) {
    auto row = c.query_one("SELECT zone_id FROM shipping_zone_countries WHERE country = ?", country);
    if (!row) return std::nullopt;
    return find_zone(c, row->str(0));
}

std::optional<ShippingRate> ShippingRepository::rate(db::Conn& c, std::string_view rate_id) {
    auto row = c.query_one(std::string(kRateColumns) + "WHERE id = ?", rate_id);
    if (!row) return std::nullopt;
    return rate_from_row(*row);
}

}  // namespace shop::order
