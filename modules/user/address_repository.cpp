#include "address_repository.hpp"

namespace shop::user {

namespace {
api::Address to_address(const db::Row& r) {
    return api::Address{r.str(0), r.str(1), r.str(2), r.str(3),    r.opt_str(4),
                        r.str(5), r.str(6), r.str(7), r.opt_str(8)};
}
}  // namespace

void AddressRepository::insert(db::Tx& tx, const api::Address& a, std::int64_t now_ms) const {
    tx.exec(
        "INSERT INTO addresses (id, user_id, name, line1, line2, city, postal_code, country, region, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        a.id, a.user_id, a.name, a.line1, a.line2, a.city, a.postal_code, a.country, a.region, now_ms);
}

std::optional<api::Address> AddressRepository::find(db::Conn& c, std::string_view user_id, std::string_view id) const {
    auto row = c.query_one(
        "SELECT id, user_id, name, line1, line2, city, postal_code, country, region FROM addresses"
        " WHERE id = ? AND user_id = ?",
        id, user_id);
    if (!row) return std::nullopt;
    return to_address(*row);
}

std::vector<ListedAddress> AddressRepository::list(db::Conn& c, std::string_view user_id,
                                                   const std::optional<ListKey>& after, int limit) const {
    db::Rows rows =
        after ? c.query(
                    "SELECT id, user_id, name, line1, line2, city, postal_code, country, region, created_at"
                    " FROM addresses"
                    " WHERE user_id = ? AND (created_at > ? OR (created_at = ? AND id > ?))"
                    " ORDER BY created_at, id LIMIT ?",
                    user_id, after->created_at_ms, after->created_at_ms, after->id, limit)
              : c.query(
                    "SELECT id, user_id, name, line1, line2, city, postal_code, country, region, created_at"
                    " FROM addresses"
                    " WHERE user_id = ? ORDER BY created_at, id LIMIT ?",
                    user_id, limit);
    std::vector<ListedAddress> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back({to_address(r), r.i64(9)});
    return out;
}

bool AddressRepository::remove(db::Tx& tx, std::string_view user_id, std::string_view id) const {
    return tx.exec("DELETE FROM addresses WHERE id = ? AND user_id = ?", id, user_id) == 1;
}

}  // namespace shop::user
