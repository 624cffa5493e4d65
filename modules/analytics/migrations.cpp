#include "analytics_module.hpp"

namespace shop::analytics {

namespace {

// The analytics tables; the same text on both backends but for the integer width.
std::string analytics_schema(const std::string& big) {
    // data_watermarks was created here too; the core owns it now (migration core 3).
    // Facts, one row per paid order / order line / refund: the keys make applying an event
    // twice a no-op, and the times answer the partial days of a range.
    return "CREATE TABLE data_paid_orders ("
           " order_id TEXT PRIMARY KEY,"
           " user_id TEXT NOT NULL,"
           " currency TEXT NOT NULL,"
           " total " + big + " NOT NULL,"
           " items " + big + " NOT NULL,"
           " paid_at " + big + " NOT NULL);"
           "CREATE INDEX data_paid_orders_at ON data_paid_orders(paid_at);"
           "CREATE TABLE data_paid_lines ("
           " order_id TEXT NOT NULL,"
           " product_id TEXT NOT NULL,"
           " currency TEXT NOT NULL,"
           " units " + big + " NOT NULL,"
           " revenue " + big + " NOT NULL,"
           " paid_at " + big + " NOT NULL,"
           " PRIMARY KEY (order_id, product_id));"
           "CREATE INDEX data_paid_lines_at ON data_paid_lines(paid_at);"
           "CREATE TABLE data_refunds ("
           " refund_id TEXT PRIMARY KEY,"
           " order_id TEXT NOT NULL,"
           " currency TEXT NOT NULL,"
           " amount " + big + " NOT NULL,"
           " refunded_at " + big + " NOT NULL);"
           "CREATE INDEX data_refunds_at ON data_refunds(refunded_at);"
           // Daily aggregates (day = midnight UTC in ms), updated with each event.
           "CREATE TABLE data_sales_daily ("
           " day " + big + " NOT NULL,"
           " currency TEXT NOT NULL,"
           " orders " + big + " NOT NULL,"
           " items " + big + " NOT NULL,"
           " revenue " + big + " NOT NULL,"
           " refunds " + big + " NOT NULL,"
           " PRIMARY KEY (day, currency));"
           "CREATE TABLE data_product_daily ("
           " day " + big + " NOT NULL,"
           " currency TEXT NOT NULL,"
           " product_id TEXT NOT NULL,"
           " units " + big + " NOT NULL,"
           " revenue " + big + " NOT NULL,"
           " PRIMARY KEY (day, currency, product_id));"
           "CREATE TABLE data_customer_daily ("
           " day " + big + " NOT NULL,"
           " currency TEXT NOT NULL,"
           " user_id TEXT NOT NULL,"
           " orders " + big + " NOT NULL,"
           " revenue " + big + " NOT NULL,"
           " PRIMARY KEY (day, currency, user_id));";
}

// Paid orders' discounts, shipping and tax (API.md section 10), per order and per day. The
// tables are emptied and the sales projection starts over from the first event (start()
// catches up before serving): an order.paid that a binary with the breakdown but without
// these columns logged is counted with it, and one logged before the breakdown reads as
// zeros. The log is never pruned, so the rebuild gives what applying it live would have.
std::string breakdown_schema(const std::string& big) {
    const std::string col = " " + big + " NOT NULL DEFAULT 0;";
    return "ALTER TABLE data_paid_orders ADD COLUMN discounts" + col +
           "ALTER TABLE data_paid_orders ADD COLUMN shipping" + col +
           "ALTER TABLE data_paid_orders ADD COLUMN tax" + col +
           "ALTER TABLE data_sales_daily ADD COLUMN discounts" + col +
           "ALTER TABLE data_sales_daily ADD COLUMN shipping" + col +
           "ALTER TABLE data_sales_daily ADD COLUMN tax" + col +
           "DELETE FROM data_paid_orders;"
           "DELETE FROM data_paid_lines;"
           "DELETE FROM data_refunds;"
           "DELETE FROM data_sales_daily;"
           "DELETE FROM data_product_daily;"
           "DELETE FROM data_customer_daily;"
           "DELETE FROM data_watermarks WHERE consumer = 'sales';";
}

// Outbound webhook endpoints (API.md section 12). `events` is a JSON array of types; the
// secret signs deliveries, so it is kept as it is (docs/security.md). Deliveries are core
// outbox jobs of kind "webhook" whose scope is the endpoint's id.
std::string webhooks_schema(const std::string& big) {
    return "CREATE TABLE webhook_endpoints ("
           " id TEXT PRIMARY KEY,"
           " url TEXT NOT NULL,"
           " events TEXT NOT NULL,"
           " description TEXT,"
           " secret TEXT NOT NULL,"
           " enabled INTEGER NOT NULL DEFAULT 1,"
           " created_at " + big + " NOT NULL,"
           " updated_at " + big + " NOT NULL);"
           "CREATE INDEX webhook_endpoints_created ON webhook_endpoints(created_at, id);";
}

}  // namespace

// The analytics tables keep the migration identity ("data", 2) they had when search and
// analytics were one module named data: a database that module migrated is not migrated
// again. Search owns ("data", 1), ("data", 3) and ("data", 4); analytics has ("data", 5),
// and later migrations of either take the next number neither module has used.
void AnalyticsModule::migrations(db::Migrator& m) {
    m.add("data", 2, analytics_schema("INTEGER"), analytics_schema("BIGINT"));
    m.add("data", 5, breakdown_schema("INTEGER"), breakdown_schema("BIGINT"));
    m.add("data", 6, webhooks_schema("INTEGER"), webhooks_schema("BIGINT"));
}

}  // namespace shop::analytics
