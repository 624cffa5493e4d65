#include "product_inventory.hpp"

#include <map>
#include <optional>
#include <stdexcept>

#include "shop/core/time.hpp"

namespace shop::product {

namespace {
// Sums lines per variant. The map also orders the variants by id, so concurrent
// reservations on a server database lock rows in one order and cannot deadlock.
std::map<std::string, std::int64_t> merged(const std::vector<api::StockLine>& lines) {
    std::map<std::string, std::int64_t> out;
    for (const auto& l : lines) {
        if (l.quantity <= 0) throw std::invalid_argument("stock line quantity must be positive: " + l.variant_id);
        out[l.variant_id] += l.quantity;
    }
    return out;
}
}  // namespace

api::Reservation ProductInventory::reserve(db::Tx& tx, const std::vector<api::StockLine>& lines) {
    using Outcome = api::Reservation::Outcome;
    const auto wanted = merged(lines);
    // One conditional update for all lines, so no other writer (thread or process) can
    // slip in between a check and a take, and a short line takes nothing at all.
    if (variants_.take_stock(tx, wanted, core::now_ms())) return {};
    // Why not: an unknown or archived variant or product is the client's mistake whatever
    // else is short, so it is reported before a lack of stock.
    std::vector<std::string> ids;
    for (const auto& [id, _] : wanted) ids.push_back(id);
    std::map<std::string, api::VariantInfo> found;
    for (auto& v : variants_.find_many(tx, ids)) found.emplace(v.id, std::move(v));
    for (const auto& [id, _] : wanted) {
        auto it = found.find(id);
        if (it == found.end() || !it->second.active()) return {Outcome::Unavailable, id, it == found.end() ? "" : it->second.product_id};
        auto p = products_.find(tx, it->second.product_id);
        if (!p || !p->active()) return {Outcome::Unavailable, id, it->second.product_id};
    }
    for (const auto& [id, qty] : wanted)
        if (found.at(id).stock < qty) return {Outcome::Insufficient, id, found.at(id).product_id};
    const auto& first = found.at(wanted.begin()->first);
    return {Outcome::Insufficient, first.id, first.product_id};
}

void ProductInventory::release(db::Tx& tx, const std::vector<api::StockLine>& lines) {
    variants_.put_back_stock(tx, merged(lines), core::now_ms());
}

std::int64_t ProductInventory::available(db::Conn& c, const std::string& variant_id) {
    auto v = variants_.find(c, variant_id);
    if (!v || !v->active()) return 0;
    auto p = products_.find(c, v->product_id);
    return p && p->active() ? v->stock : 0;
}

}  // namespace shop::product
