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
    const std::int64_t now = core::now_ms();
    // Each line is a conditional update, so no other writer (thread or process) can slip in
    // between a check and a take. On a short line the savepoint undoes the lines already
    // taken, leaving the caller's transaction exactly as it was.
    products_.savepoint(tx);
    std::optional<std::string> short_line;
    try {
        for (const auto& [id, qty] : wanted) {
            if (products_.take_stock(tx, id, qty, now)) continue;
            short_line = id;
            products_.rollback_to_savepoint(tx);
            break;
        }
        products_.release_savepoint(tx);
    } catch (...) {
        try {
            products_.rollback_to_savepoint(tx);
            products_.release_savepoint(tx);
        } catch (...) {
            // The caller's transaction is failing anyway; its rollback covers ours.
        }
        throw;
    }
    if (!short_line) return {};
    // An unknown or archived product is the client's mistake whatever else is short, so it
    // is reported before a lack of stock.
    for (const auto& line : wanted) {
        auto p = products_.find(tx, line.first);
        if (!p || !p->active()) return {Outcome::Unavailable, line.first};
    }
    return {Outcome::Insufficient, *short_line};
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
