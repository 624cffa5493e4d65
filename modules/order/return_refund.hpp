#pragma once
// What a return refunds (API.md section 11): what the buyer paid for the units sent back,
// their share of the discount and their tax included, shipping never. Pure arithmetic,
// tested on its own (tests/unit/order/return_test.cpp).
//
// A line's `paid` is line_total - discount, plus its tax when the order added tax on top
// of its prices (with prices that hold their tax, it is already inside). k of the line's
// n units refund floor(paid * k / n), except the units that complete the line, which get
// whatever earlier returns of the line (those not rejected) left of `paid`: a line
// returned whole, in one return or in several, refunds exactly `paid`.
#include <cstdint>

#include "order.hpp"

namespace shop::order {

// Whether the order added its tax on top of its prices, read from the order's own totals
// (total = subtotal - discount_total + shipping_total + tax_total), so that changing
// SHOPD_PRICES_INCLUDE_TAX later does not change what its returns refund.
bool tax_added_on_top(const Order& o);

// What the buyer paid for the whole line; never negative.
std::int64_t line_paid(const OrderItem& line, bool tax_on_top);

// What earlier returns of one line, not rejected, took.
struct LineReturned {
    std::int64_t units = 0;
    std::int64_t amount = 0;
};

// The refund of k more units of a line of n units that was paid `paid`, after `before`.
// Needs 0 < k and before.units + k <= n. 128-bit arithmetic: no overflow.
std::int64_t units_refund(std::int64_t paid, std::int64_t n, LineReturned before, std::int64_t k);

}  // namespace shop::order
