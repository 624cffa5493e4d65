#include "product_inventory.hpp"

#include <map>
#include <optional>
#include <stdexcept>

#include "shop/core/time.hpp"

namespace shop::product {

namespace {
// Sums lines per product. The map also orders the products by id, so concurrent
// reservations on a server database lock rows in one order and cannot deadlock.
std::map<std::string, std::int64_t> merged(const std::vector<api::StockLine>& lines) {
    std::map<std::string, std::int64_t> out;
    for (const auto& l : lines) {
        if (l.quantity <= 0) throw std::invalid_argument("stock line quantity must be positive: " + l.product_id);
        out[l.product_id] += l.quantity;
    }
    return out;
}
}  // namespace

api::Reservation ProductInventory::reserve(db::Tx& tx, const std::vector<api::StockLine>& lines) {
    using Outcome = api::Reservation::Outcome;
    const auto wanted = merged(lines);
    // One conditional update for all lines, so no other writer (thread or process) can
    // slip in between a check and a take, and a short line takes nothing at all.
    if (products_.take_stock(tx, wanted, core::now_ms())) return {};
    // Why not: an unknown or archived product is the client's mistake whatever else is
    // short, so it is reported before a lack of stock.
    std::vector<std::pair<std::string, std::optional<api::ProductInfo>>> found;
    for (const auto& line : wanted) {
        auto p = products_.find(tx, line.first);
        if (!p || !p->active()) return {Outcome::Unavailable, line.first};
        found.emplace_back(line.first, std::move(p));
    }
    for (const auto& [id, p] : found)
        if (p->stock < wanted.at(id)) return {Outcome::Insufficient, id};
    return {Outcome::Insufficient, wanted.begin()->first};
}

void ProductInventory::release(db::Tx& tx, const std::vector<api::StockLine>& lines) {
    const std::int64_t now = core::now_ms();
    for (const auto& [id, qty] : merged(lines)) products_.put_back_stock(tx, id, qty, now);
}

std::int64_t ProductInventory::available(db::Conn& c, const std::string& product_id) {
    auto p = products_.find(c, product_id);
    return p && p->active() ? p->stock : 0;
}

}  // namespace shop::product
