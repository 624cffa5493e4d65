#pragma once
// Sales analytics computed from the event log: order.paid and payment.refunded events are
// folded into facts and daily aggregates as they are written (see shop/events/projection.hpp), and
// the questions of API.md section 7 are answered from those.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics_repository.hpp"
#include "shop/api/catalog.hpp"
#include "shop/db/database.hpp"
#include "shop/events/event.hpp"
#include "time_buckets.hpp"

namespace shop::analytics {

struct SalesBucket {
    std::int64_t start = 0;  // aligned to the interval (UTC midnight, Monday, first of month)
    SalesTotals totals;      // only what lies inside the requested range
};

struct TopProduct {
    std::string product_id;
    std::optional<std::string> name;  // the catalogue's current name; nullopt if it is gone
    std::int64_t units = 0;
    std::int64_t revenue = 0;
};

struct SummaryWindow {
    std::int64_t from = 0;  // midnight UTC of the first day
    std::int64_t to = 0;    // now
    SalesTotals totals;
    std::int64_t customers = 0;  // distinct users with a paid order
    std::int64_t average_order_value() const;  // revenue / orders, rounded; 0 without orders
};

struct Summary {
    SummaryWindow today;
    SummaryWindow last_30_days;
};

// At most this many buckets (or days) in one answer.
inline constexpr std::int64_t kMaxRangeDays = 7320;  // 20 years

class AnalyticsService {
public:
    // Only sales in `currency` (the shop's) are reported; others are kept but not mixed in.
    AnalyticsService(db::Database& db, api::Catalog& catalog, std::string currency);

    // Projections of the events (idempotent: an event applied twice counts once).
    void apply_paid(db::Tx& tx, const events::Event& e);
    void apply_refund(db::Tx& tx, const events::Event& e);

    // One bucket per interval from the one holding range.from to the one holding the
    // last instant before range.to, empty ones included.
    std::vector<SalesBucket> sales(Window range, Interval interval);
    std::vector<TopProduct> top_products(Window range, int limit, ProductOrder order);
    // Today (since midnight UTC) and the last 30 days (today and the 29 before it).
    Summary summary(std::int64_t now_ms);

    const std::string& currency() const { return currency_; }

private:
    db::Database& db_;
    api::Catalog& catalog_;
    std::string currency_;
    AnalyticsRepository repo_;
};

}  // namespace shop::analytics
