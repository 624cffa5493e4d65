#include "order_module.hpp"

namespace shop::order {

namespace {
std::string pricing_schema(const std::string& big) {
    return "CREATE TABLE shipping_zones ("
           " id TEXT PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " created_at " + big + " NOT NULL,"
           " updated_at " + big + " NOT NULL);"
           "CREATE TABLE shipping_zone_countries ("
           " country TEXT PRIMARY KEY,"
           " zone_id TEXT NOT NULL);"
           "CREATE INDEX shipping_zone_countries_zone ON shipping_zone_countries(zone_id);"
           "CREATE TABLE shipping_rates ("
           " id TEXT PRIMARY KEY,"
           " zone_id TEXT NOT NULL,"
           " name TEXT NOT NULL,"
           " price " + big + " NOT NULL CHECK (price >= 0),"
           " free_over " + big + ","
           " min_subtotal " + big + ","
           " max_subtotal " + big + ","
           " created_at " + big + " NOT NULL,"
           " updated_at " + big + " NOT NULL);"
           "CREATE INDEX shipping_rates_zone ON shipping_rates(zone_id, created_at, id);"
           "CREATE TABLE tax_rates ("
           " id TEXT PRIMARY KEY,"
           " country TEXT NOT NULL,"
           " region TEXT NOT NULL DEFAULT '',"
           " name TEXT NOT NULL,"
           " rate_bp " + big + " NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 10000),"
           " shipping_taxable INTEGER NOT NULL,"
           " created_at " + big + " NOT NULL,"
           " updated_at " + big + " NOT NULL);"
           "CREATE UNIQUE INDEX tax_rates_place ON tax_rates(country, region);"
           "CREATE TABLE discounts ("
           " id TEXT PRIMARY KEY,"
           " code TEXT NOT NULL,"
           " code_key TEXT NOT NULL UNIQUE,"
           " type TEXT NOT NULL,"
           " value " + big + " NOT NULL,"
           " min_subtotal " + big + ","
           " starts_at " + big + ","
           " ends_at " + big + ","
           " usage_limit " + big + ","
           " per_customer_limit " + big + ","
           " product_ids TEXT NOT NULL DEFAULT '[]',"
           " category_ids TEXT NOT NULL DEFAULT '[]',"
           " active INTEGER NOT NULL DEFAULT 1,"
           " used " + big + " NOT NULL DEFAULT 0 CHECK (used >= 0),"
           " created_at " + big + " NOT NULL,"
           " updated_at " + big + " NOT NULL);"
           "CREATE INDEX discounts_created ON discounts(created_at, id);"
           "CREATE TABLE discount_uses ("
           " discount_id TEXT NOT NULL,"
           " customer TEXT NOT NULL,"
           " uses " + big + " NOT NULL CHECK (uses >= 0),"
           " PRIMARY KEY (discount_id, customer));"
           "ALTER TABLE orders ADD COLUMN subtotal " + big + " NOT NULL DEFAULT 0;"
           "ALTER TABLE orders ADD COLUMN discount_total " + big + " NOT NULL DEFAULT 0;"
           "ALTER TABLE orders ADD COLUMN shipping_total " + big + " NOT NULL DEFAULT 0;"
           "ALTER TABLE orders ADD COLUMN tax_total " + big + " NOT NULL DEFAULT 0;"
           "ALTER TABLE orders ADD COLUMN shipping TEXT;"
           "ALTER TABLE orders ADD COLUMN discount TEXT;"
           "ALTER TABLE orders ADD COLUMN discount_id TEXT;"
           "ALTER TABLE orders ADD COLUMN customer TEXT;"
           "ALTER TABLE orders ADD COLUMN email TEXT;"
           "ALTER TABLE order_items ADD COLUMN discount " + big + " NOT NULL DEFAULT 0;"
           "ALTER TABLE order_items ADD COLUMN tax " + big + " NOT NULL DEFAULT 0;"
           "UPDATE orders SET subtotal = total;";
}

// Shipments (section 11): a row per shipment and a row per variant it carries. Lines sit in
// a table of their own rather than a JSON column so that what is left to ship is one
// SUM(quantity) ... GROUP BY variant_id over the order's rows, read in the transaction that
// adds the next shipment, and a CHECK keeps every quantity positive. The lines repeat
// order_id for that sum. As for order_items (migration 2), PostgreSQL gets no foreign key
// from the lines to their shipment: both are written only by ShipmentRepository::insert in
// one transaction, and shipments are never deleted.
std::string shipments_schema(const std::string& big, const std::string& shipment_ref) {
    return "CREATE TABLE shipments ("
           " id TEXT PRIMARY KEY,"
           " order_id TEXT NOT NULL,"
           " carrier TEXT,"
           " tracking_number TEXT,"
           " tracking_url TEXT,"
           " created_at " + big + " NOT NULL);"
           "CREATE INDEX shipments_order ON shipments(order_id, created_at, id);"
           "CREATE TABLE shipment_items ("
           " shipment_id TEXT NOT NULL" + shipment_ref + ","
           " line INTEGER NOT NULL,"
           " order_id TEXT NOT NULL,"
           " variant_id TEXT NOT NULL,"
           " quantity " + big + " NOT NULL CHECK (quantity > 0),"
           " PRIMARY KEY (shipment_id, line));"
           "CREATE INDEX shipment_items_order ON shipment_items(order_id, variant_id);";
}

std::string returns_schema(const std::string& big) {
    return "ALTER TABLE orders ADD COLUMN delivered_at " + big + ";"
           "UPDATE orders SET delivered_at = updated_at WHERE status = 'delivered';"
           "CREATE TABLE returns ("
           " id TEXT PRIMARY KEY,"
           " order_id TEXT NOT NULL,"
           " user_id TEXT NOT NULL,"
           " status TEXT NOT NULL,"
           " reason TEXT NOT NULL,"
           " refund_amount " + big + " NOT NULL CHECK (refund_amount >= 0),"
           " currency TEXT NOT NULL,"
           " restocked INTEGER,"
           " receive_started_at " + big + ","
           " created_at " + big + " NOT NULL,"
           " updated_at " + big + " NOT NULL,"
           " received_at " + big + ","
           " rejected_at " + big + ");"
           "CREATE INDEX returns_order ON returns(order_id, created_at, id);"
           "CREATE INDEX returns_created ON returns(created_at, id);"
           "CREATE INDEX returns_status ON returns(status, created_at, id);"
           "CREATE TABLE return_items ("
           " return_id TEXT NOT NULL,"
           " line INTEGER NOT NULL,"
           " variant_id TEXT NOT NULL,"
           " product_id TEXT NOT NULL,"
           " quantity " + big + " NOT NULL CHECK (quantity > 0),"
           " refund_amount " + big + " NOT NULL CHECK (refund_amount >= 0),"
           " PRIMARY KEY (return_id, line));";
}
}  // namespace

void OrderModule::migrations(db::Migrator& m) {
    m.add("order", 1,
          "CREATE TABLE orders ("
          " id TEXT PRIMARY KEY,"
          " user_id TEXT NOT NULL,"
          " status TEXT NOT NULL,"
          " total INTEGER NOT NULL CHECK (total >= 0),"
          " currency TEXT NOT NULL,"
          " shipping_address TEXT NOT NULL,"
          " created_at INTEGER NOT NULL,"
          " updated_at INTEGER NOT NULL,"
          " expires_at INTEGER NOT NULL,"
          " payment_id TEXT);"
          "CREATE INDEX orders_user_created ON orders(user_id, created_at, id);"
          "CREATE INDEX orders_created ON orders(created_at, id);"
          "CREATE INDEX orders_status_expires ON orders(status, expires_at);"
          "CREATE TABLE order_items ("
          " order_id TEXT NOT NULL REFERENCES orders(id),"
          " line INTEGER NOT NULL,"
          " product_id TEXT NOT NULL,"
          " sku TEXT NOT NULL,"
          " name TEXT NOT NULL,"
          " unit_price INTEGER NOT NULL CHECK (unit_price >= 0),"
          " quantity INTEGER NOT NULL CHECK (quantity > 0),"
          " line_total INTEGER NOT NULL,"
          " PRIMARY KEY (order_id, line));"
          "CREATE TABLE cart_items ("
          " user_id TEXT NOT NULL,"
          " product_id TEXT NOT NULL,"
          " quantity INTEGER NOT NULL CHECK (quantity > 0),"
          " added_at INTEGER NOT NULL,"
          " PRIMARY KEY (user_id, product_id));",
          "CREATE TABLE orders ("
          " id TEXT PRIMARY KEY,"
          " user_id TEXT NOT NULL,"
          " status TEXT NOT NULL,"
          " total BIGINT NOT NULL CHECK (total >= 0),"
          " currency TEXT NOT NULL,"
          " shipping_address TEXT NOT NULL,"
          " created_at BIGINT NOT NULL,"
          " updated_at BIGINT NOT NULL,"
          " expires_at BIGINT NOT NULL,"
          " payment_id TEXT);"
          "CREATE INDEX orders_user_created ON orders(user_id, created_at, id);"
          "CREATE INDEX orders_created ON orders(created_at, id);"
          "CREATE INDEX orders_status_expires ON orders(status, expires_at);"
          "CREATE TABLE order_items ("
          " order_id TEXT NOT NULL REFERENCES orders(id),"
          " line INTEGER NOT NULL,"
          " product_id TEXT NOT NULL,"
          " sku TEXT NOT NULL,"
          " name TEXT NOT NULL,"
          " unit_price BIGINT NOT NULL CHECK (unit_price >= 0),"
          " quantity BIGINT NOT NULL CHECK (quantity > 0),"
          " line_total BIGINT NOT NULL,"
          " PRIMARY KEY (order_id, line));"
          "CREATE TABLE cart_items ("
          " user_id TEXT NOT NULL,"
          " product_id TEXT NOT NULL,"
          " quantity BIGINT NOT NULL CHECK (quantity > 0),"
          " added_at BIGINT NOT NULL,"
          " PRIMARY KEY (user_id, product_id));");
    // PostgreSQL: no foreign key from order_items to orders. Under SERIALIZABLE its check
    // takes a predicate lock on the orders key page that every concurrent order inserts
    // into (ids grow with time), and 30 % of order transactions were cancelled as
    // serialization failures and retried (bench/run: 1,330 orders/s with it, 1,820 without,
    // 45 retries instead of 4,742). The lines are written only by OrderRepository::insert,
    // in the transaction that writes their order, and orders are never deleted, so no line
    // can lose its order. SQLite keeps the key: one writer, no predicate locks.
    m.add("order", 2, "SELECT 1", "ALTER TABLE order_items DROP CONSTRAINT IF EXISTS order_items_order_id_fkey");
    // Variants (section 9): lines name the variant sold and its options. A product without
    // options has one variant whose id is the product's, so every existing cart line and
    // order line already names its variant by the id it holds.
    const char* variants =
        "ALTER TABLE cart_items RENAME COLUMN product_id TO variant_id;"
        "ALTER TABLE order_items ADD COLUMN variant_id TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE order_items ADD COLUMN options TEXT NOT NULL DEFAULT '{}';"
        "UPDATE order_items SET variant_id = product_id;";
    m.add("order", 3, variants, variants);
    // A paid order being cancelled is marked before its refund is asked for, so a ship
    // cannot take it in between (cancel racing ship); the mark survives a crash, and a
    // cancel asked again finishes the job.
    m.add("order", 4, "ALTER TABLE orders ADD COLUMN cancel_started_at INTEGER",
          "ALTER TABLE orders ADD COLUMN cancel_started_at BIGINT");
    // Checkout pricing (section 10). A country's row in shipping_zone_countries is its key,
    // so two zones can never both claim it, whatever the concurrency. A discount's `used` and
    // each customer's `uses` are taken by conditional updates in the order's transaction,
    // like stock, and given back by cancel-before-payment and expiry; `customer` is the
    // buyer's lower-cased email, so a user and a guest with one address share the limit.
    // Orders keep their breakdown and the code they took (discount_id, customer) so the use
    // can be given back; orders from before have subtotal = total and nothing else.
    m.add("order", 5, pricing_schema("INTEGER"), pricing_schema("BIGINT"));
    m.add("order", 6, shipments_schema("INTEGER", " REFERENCES shipments(id)"), shipments_schema("BIGINT", ""));
    // Guest checkout (section 11): a guest's order has no user and is opened by a token, of
    // which only the hash is kept; guests' open orders are counted by e-mail.
    const char* guests =
        "ALTER TABLE orders ADD COLUMN token_hash TEXT;"
        "CREATE INDEX orders_guest_email ON orders(email, status) WHERE user_id = '';";
    m.add("order", 7, guests, guests);
    // Returns (section 11). delivered_at starts the return window; orders delivered before
    // it was recorded take their updated_at (their delivery was their last change), here
    // and, for a replica of an older version delivering meanwhile, when it is read. A return
    // keeps its lines with the refund each was given, so later returns of a line know what
    // earlier ones took. No foreign key from return_items to returns, for the reason given
    // at migration 2: the lines are written only with their return, which is never deleted.
    // receive_started_at marks a return whose refund is under way (like cancel_started_at).
    m.add("order", 8, returns_schema("INTEGER"), returns_schema("BIGINT"));
    // Cancels a crash interrupted (marked, refund in doubt) are found and finished by a job
    // (OrderService::finish_interrupted_cancels); the few marked rows are all it reads.
    const char* cancelling = "CREATE INDEX orders_cancelling ON orders(cancel_started_at) "
                             "WHERE cancel_started_at IS NOT NULL;";
    m.add("order", 9, cancelling, cancelling);
}

}  // namespace shop::order
