#include "analytics_repository.hpp"

#include "time_buckets.hpp"

namespace shop::analytics {

namespace {

void add_to_day(db::Tx& tx, std::int64_t day, const std::string& currency, const SalesTotals& t) {
    tx.exec(
        "INSERT INTO data_sales_daily(day, currency, orders, items, revenue, refunds, discounts, shipping, tax) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (day, currency) DO UPDATE SET orders = data_sales_daily.orders + excluded.orders, "
        "items = data_sales_daily.items + excluded.items, revenue = data_sales_daily.revenue + excluded.revenue, "
        "refunds = data_sales_daily.refunds + excluded.refunds, "
        "discounts = data_sales_daily.discounts + excluded.discounts, "
        "shipping = data_sales_daily.shipping + excluded.shipping, tax = data_sales_daily.tax + excluded.tax",
        day, currency, t.orders, t.items, t.revenue, t.refunds, t.discounts, t.shipping, t.tax);
}

}  // namespace

bool AnalyticsRepository::add_paid(db::Tx& tx, const PaidOrder& o) {
    // The order's primary key is what makes a second application of its event a no-op.
    if (tx.exec("INSERT INTO data_paid_orders(order_id, user_id, currency, total, items, discounts, shipping, tax, "
                "paid_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING",
                o.order_id, o.user_id, o.currency, o.total, o.items, o.discounts, o.shipping, o.tax, o.paid_at_ms) == 0)
        return false;
    const std::int64_t day = day_start(o.paid_at_ms);
    for (const auto& l : o.lines) {
        tx.exec(
            "INSERT INTO data_paid_lines(order_id, product_id, currency, units, revenue, paid_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            o.order_id, l.product_id, o.currency, l.units, l.revenue, o.paid_at_ms);
        tx.exec(
            "INSERT INTO data_product_daily(day, currency, product_id, units, revenue) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (day, currency, product_id) DO UPDATE SET units = data_product_daily.units + excluded.units, "
            "revenue = data_product_daily.revenue + excluded.revenue",
            day, o.currency, l.product_id, l.units, l.revenue);
    }
    tx.exec(
        "INSERT INTO data_customer_daily(day, currency, user_id, orders, revenue) VALUES (?, ?, ?, 1, ?) "
        "ON CONFLICT (day, currency, user_id) DO UPDATE SET orders = data_customer_daily.orders + 1, "
        "revenue = data_customer_daily.revenue + excluded.revenue",
        day, o.currency, o.user_id, o.total);
    add_to_day(tx, day, o.currency, SalesTotals{1, o.items, o.total, 0, o.discounts, o.shipping, o.tax});
    return true;
}

bool AnalyticsRepository::was_paid(db::Conn& c, const std::string& order_id) {
    return c.query_one("SELECT 1 FROM data_paid_orders WHERE order_id = ?", order_id).has_value();
}

bool AnalyticsRepository::add_refund(db::Tx& tx, const RefundFact& r) {
    if (tx.exec("INSERT INTO data_refunds(refund_id, order_id, currency, amount, refunded_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (refund_id) DO NOTHING",
                r.refund_id, r.order_id, r.currency, r.amount, r.refunded_at_ms) == 0)
        return false;
    add_to_day(tx, day_start(r.refunded_at_ms), r.currency, SalesTotals{0, 0, 0, r.amount});
    return true;
}

std::vector<DaySales> AnalyticsRepository::days(db::Conn& c, const std::string& currency, std::int64_t from_day,
                                                std::int64_t to_day) {
    std::vector<DaySales> out;
    for (const auto& r : c.query("SELECT day, orders, items, revenue, refunds, discounts, shipping, tax "
                                 "FROM data_sales_daily WHERE currency = ? AND day >= ? AND day < ? ORDER BY day",
                                 currency, from_day, to_day))
        out.push_back({r.i64(0), {r.i64(1), r.i64(2), r.i64(3), r.i64(4), r.i64(5), r.i64(6), r.i64(7)}});
    return out;
}

SalesTotals AnalyticsRepository::window(db::Conn& c, const std::string& currency, Window w) {
    SalesTotals t;
    auto o = c.query_one(
        "SELECT COUNT(*), COALESCE(SUM(items), 0), COALESCE(SUM(total), 0), COALESCE(SUM(discounts), 0), "
        "COALESCE(SUM(shipping), 0), COALESCE(SUM(tax), 0) FROM data_paid_orders "
        "WHERE currency = ? AND paid_at >= ? AND paid_at < ?",
        currency, w.from, w.to);
    if (o) t = {o->i64(0), o->i64(1), o->i64(2), 0, o->i64(3), o->i64(4), o->i64(5)};
    auto r = c.query_one(
        "SELECT COALESCE(SUM(amount), 0) FROM data_refunds WHERE currency = ? AND refunded_at >= ? AND refunded_at < ?",
        currency, w.from, w.to);
    if (r) t.refunds = r->i64(0);
    return t;
}

std::vector<ProductSales> AnalyticsRepository::top_products(db::Conn& c, const std::string& currency, Window days,
                                                            const std::vector<Window>& parts, ProductOrder order,
                                                            int limit) {
    // Always two partial windows (an empty one where there is none), so the statement's
    // text is one of two and prepared once.
    Window p1 = parts.size() > 0 ? parts[0] : Window{};
    Window p2 = parts.size() > 1 ? parts[1] : Window{};
    std::string sql =
        "SELECT product_id, SUM(units) AS u, SUM(revenue) AS r FROM ("
        " SELECT product_id, units, revenue FROM data_product_daily WHERE currency = ? AND day >= ? AND day < ?"
        " UNION ALL"
        " SELECT product_id, units, revenue FROM data_paid_lines WHERE currency = ? AND paid_at >= ? AND paid_at < ?"
        " UNION ALL"
        " SELECT product_id, units, revenue FROM data_paid_lines WHERE currency = ? AND paid_at >= ? AND paid_at < ?"
        ") t GROUP BY product_id ORDER BY ";
    sql += order == ProductOrder::Revenue ? "r DESC, u DESC" : "u DESC, r DESC";
    sql += ", product_id LIMIT ?";
    std::vector<ProductSales> out;
    for (const auto& r : c.query(sql, currency, days.from, days.to, currency, p1.from, p1.to, currency, p2.from, p2.to,
                                 std::int64_t{limit}))
        out.push_back({r.str(0), r.i64(1), r.i64(2)});
    return out;
}

std::int64_t AnalyticsRepository::customers(db::Conn& c, const std::string& currency, std::int64_t from_day,
                                            std::int64_t to_day) {
    auto r = c.query_one(
        "SELECT COUNT(DISTINCT user_id) FROM data_customer_daily WHERE currency = ? AND day >= ? AND day < ?", currency,
        from_day, to_day);
    return r ? r->i64(0) : 0;
}

}  // namespace shop::analytics
