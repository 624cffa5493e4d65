#pragma once
// Every SQL statement of the sales analytics: per-order facts (which make applying an
// event idempotent and answer the edges of a range to the millisecond) and daily
// aggregates kept up to date as events arrive (which answer whole days without a scan).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shop/db/database.hpp"

namespace shop::analytics {

struct PaidLine {
    std::string product_id;
    std::int64_t units = 0;
    std::int64_t revenue = 0;
};

struct PaidOrder {
    std::string order_id;
    std::string user_id;
    std::string currency;
    std::int64_t total = 0;
    std::int64_t items = 0;  // units over all lines
    std::int64_t discounts = 0;  // the order's discount_total, shipping_total and tax_total
    std::int64_t shipping = 0;
    std::int64_t tax = 0;
    std::int64_t paid_at_ms = 0;
    std::vector<PaidLine> lines;  // one per product
};

struct RefundFact {
    std::string refund_id;
    std::string order_id;
    std::string currency;
    std::int64_t amount = 0;
    std::int64_t refunded_at_ms = 0;
};

struct SalesTotals {
    std::int64_t orders = 0;
    std::int64_t items = 0;
    std::int64_t revenue = 0;
    std::int64_t refunds = 0;
    // Parts of the paid orders' totals (section 10), counted like revenue.
    std::int64_t discounts = 0;
    std::int64_t shipping = 0;
    std::int64_t tax = 0;

    SalesTotals& operator+=(const SalesTotals& o) {
        orders += o.orders;
        items += o.items;
        revenue += o.revenue;
        refunds += o.refunds;
        discounts += o.discounts;
        shipping += o.shipping;
        tax += o.tax;
        return *this;
    }
};

struct DaySales {
    std::int64_t day = 0;  // midnight UTC, ms
    SalesTotals totals;
};

struct ProductSales {
    std::string product_id;
    std::int64_t units = 0;
    std::int64_t revenue = 0;
};

enum class ProductOrder { Revenue, Units };

// A time window [from, to) in ms.
struct Window {
    std::int64_t from = 0;
    std::int64_t to = 0;
};

class AnalyticsRepository {
public:
    // Records the order's facts and adds it to the daily aggregates; false (and nothing
    // changed) when the order was recorded before.
    bool add_paid(db::Tx& tx, const PaidOrder& o);
    bool was_paid(db::Conn& c, const std::string& order_id);
    // Likewise for a refund, counted on the day it happened.
    bool add_refund(db::Tx& tx, const RefundFact& r);

    // Daily aggregates of whole days in [from_day, to_day), only days with sales.
    std::vector<DaySales> days(db::Conn& c, const std::string& currency, std::int64_t from_day, std::int64_t to_day);
    // Totals of the facts inside a window (used for parts of a day).
    SalesTotals window(db::Conn& c, const std::string& currency, Window w);
    // Best sellers over whole days [from_day, to_day) plus up to two partial-day windows.
    std::vector<ProductSales> top_products(db::Conn& c, const std::string& currency, Window days,
                                           const std::vector<Window>& parts, ProductOrder order, int limit);
    // Distinct paying customers over whole days [from_day, to_day).
    std::int64_t customers(db::Conn& c, const std::string& currency, std::int64_t from_day, std::int64_t to_day);
};

}  // namespace shop::analytics
