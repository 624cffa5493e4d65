#include "analytics_service.hpp"

#include <map>

#include "shop/events/typed.hpp"

namespace shop::analytics {

namespace {

PaidOrder paid_order_of(const events::OrderPaid& d, std::int64_t at_ms) {
    PaidOrder o{d.order_id,       d.user_id,        d.currency,  d.total, 0,
                d.discount_total, d.shipping_total, d.tax_total, at_ms,   {}};
    std::map<std::string, std::size_t> line_of;
    for (const auto& it : d.items) {
        const std::string& id = it.product_id;
        std::int64_t qty = it.quantity, price = it.unit_price;
        // A product named on two lines is one line here.
        auto [pos, fresh] = line_of.emplace(id, o.lines.size());
        if (fresh) o.lines.push_back({id, 0, 0});
        o.lines[pos->second].units += qty;
        o.lines[pos->second].revenue += qty * price;
        o.items += qty;
    }
    return o;
}

}  // namespace

std::int64_t SummaryWindow::average_order_value() const {
    if (totals.orders == 0) return 0;
    return (totals.revenue + totals.orders / 2) / totals.orders;
}

AnalyticsService::AnalyticsService(db::Database& db, api::Catalog& catalog, std::string currency)
    : db_(db), catalog_(catalog), currency_(std::move(currency)) {}

void AnalyticsService::apply_paid(db::Tx& tx, const events::Event& e) {
    // A malformed event is skipped (decode warns) rather than allowed to fail the payment that wrote it.
    auto paid = events::decode<events::OrderPaid>(e);
    if (!paid) return;
    repo_.add_paid(tx, paid_order_of(*paid, e.created_at_ms));
}

void AnalyticsService::apply_refund(db::Tx& tx, const events::Event& e) {
    auto refund = events::decode<events::PaymentRefunded>(e);
    if (!refund) return;
    const RefundFact r{refund->refund_id, refund->order_id, refund->currency, refund->amount, e.created_at_ms};
    // Only orders that reached `paid` count; a refund of a payment that came too late to
    // pay its order (it was refunded at once) is neither revenue nor a refund here.
    if (!repo_.was_paid(tx, r.order_id)) return;
    repo_.add_refund(tx, r);
}

std::vector<SalesBucket> AnalyticsService::sales(Window range, Interval interval) {
    std::vector<SalesBucket> buckets;
    std::map<std::int64_t, std::size_t> index;  // bucket start -> position
    for (std::int64_t b = bucket_start(interval, range.from); b < range.to; b = next_bucket(interval, b)) {
        index[b] = buckets.size();
        buckets.push_back({b, {}});
    }
    if (buckets.empty()) return buckets;
    auto add = [&](std::int64_t day, const SalesTotals& t) {
        buckets[index.at(bucket_start(interval, day))].totals += t;
    };
    db_.read([&](db::Conn& c) {
        DaySplit split = split_days(range.from, range.to);
        if (split.full_from < split.full_to)
            for (const auto& d : repo_.days(c, currency_, split.full_from, split.full_to)) add(d.day, d.totals);
        for (const auto& [from, to] : split.edges) add(day_start(from), repo_.window(c, currency_, {from, to}));
    });
    return buckets;
}

std::vector<TopProduct> AnalyticsService::top_products(Window range, int limit, ProductOrder order) {
    return db_.read([&](db::Conn& c) {
        std::vector<TopProduct> out;
        DaySplit split = split_days(range.from, range.to);
        std::vector<Window> parts;
        for (const auto& [from, to] : split.edges) parts.push_back({from, to});
        auto rows = repo_.top_products(c, currency_, {split.full_from, split.full_to}, parts, order, limit);
        std::vector<std::string> ids;
        for (const auto& r : rows) ids.push_back(r.product_id);
        std::map<std::string, std::string> names;
        for (auto& p : catalog_.products(c, ids)) names[p.id] = std::move(p.name);
        for (const auto& r : rows) {
            auto it = names.find(r.product_id);
            out.push_back({r.product_id, it == names.end() ? std::nullopt : std::optional(it->second), r.units,
                           r.revenue});
        }
        return out;
    });
}

Summary AnalyticsService::summary(std::int64_t now_ms) {
    const std::int64_t today = day_start(now_ms);
    const std::int64_t month = today - 29 * kDayMs;
    const std::int64_t tomorrow = today + kDayMs;
    return db_.read([&](db::Conn& c) {
        // Whole days from the aggregates: nothing is dated after now.
        auto window = [&](std::int64_t from) {
            SummaryWindow w{from, now_ms, {}, 0};
            for (const auto& d : repo_.days(c, currency_, from, tomorrow)) w.totals += d.totals;
            w.customers = repo_.customers(c, currency_, from, tomorrow);
            return w;
        };
        return Summary{window(today), window(month)};
    });
}

}  // namespace shop::analytics
