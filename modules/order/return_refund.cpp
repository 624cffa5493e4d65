#include "return_refund.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace shop::order {

namespace {
// Wide enough for a 64-bit amount times a quantity; __extension__ keeps -Wpedantic quiet.
__extension__ typedef __int128 i128;
constexpr i128 kMax64 = INT64_MAX;
}  // namespace

bool tax_added_on_top(const Order& o) {
    if (o.tax_total == 0) return false;  // nothing to add either way
    const i128 on_top = static_cast<i128>(o.subtotal) - o.discount_total + o.shipping_total + o.tax_total;
    return on_top == o.total;
}

std::int64_t line_paid(const OrderItem& line, bool tax_on_top) {
    i128 paid = static_cast<i128>(line.line_total) - line.discount;
    if (tax_on_top) paid += line.tax;
    // Each part of an order fits 64 bits and a discount never exceeds its line, so this
    // clamp only guards against a damaged row.
    paid = std::clamp<i128>(paid, 0, kMax64);
    return static_cast<std::int64_t>(paid);
}

std::int64_t units_refund(std::int64_t paid, std::int64_t n, LineReturned before, std::int64_t k) {
    if (k <= 0 || n <= 0 || before.units < 0 || before.units + k > n)
        throw std::invalid_argument("units_refund: 0 < k <= n - units already returned");
    if (before.units + k == n) return std::max<std::int64_t>(0, paid - before.amount);
    return static_cast<std::int64_t>(static_cast<i128>(paid) * k / n);
}

}  // namespace shop::order
