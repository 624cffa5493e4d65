#include "place_order.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace shop::bench {

namespace {

// shopd's db::placeholders: "?, ?, ?".
std::string placeholders(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
    return out;
}

std::string repeat(std::string_view part, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += part;
    return out;
}

// One statement per number of lines (or products), as shopd's cache ends up holding.
template <class Sql>
std::array<Stmt, PlaceOrder::kMaxLines> shapes(Db& db, Sql sql) {
    return {Stmt(db, sql(1)), Stmt(db, sql(2)), Stmt(db, sql(3))};
}

constexpr std::string_view kVariantColumns = "id, product_id, sku, options, price, stock, status";

// VariantRepository::take_stock's CASE for the quantity each variant gives.
std::string need_sql(std::size_t n) { return "CASE WHEN status = 'active' THEN CASE id" + repeat(" WHEN ? THEN ?", n) + " END END"; }

constexpr std::string_view kAddress =
    R"({"city":"Loopback","country":"US","line1":"1 Load St","name":"Bench","postal_code":"127"})";
constexpr std::int64_t kOrderTtlMs = 1800 * 1000;  // shop.order_ttl_s's default

}  // namespace

PlaceOrder::PlaceOrder(Db& db, std::uint64_t seed)
    : ids_(seed),
      savepoint_(db, "SAVEPOINT job"),
      release_(db, "RELEASE job"),
      claim_(db,
             "INSERT INTO idempotency_keys(user_id, key, fingerprint, created_at) VALUES (?, ?, ?, ?) "
             "ON CONFLICT (user_id, key) DO NOTHING"),
      variants_by_id_(shapes(db,
                             [](std::size_t n) {
                                 return "SELECT " + std::string(kVariantColumns) +
                                        " FROM product_variants WHERE id IN (" + placeholders(n) + ")";
                             })),
      products_by_id_(shapes(db,
                             [](std::size_t n) {
                                 return "SELECT p.id, p.sku, p.name, p.description, p.price, p.currency, p.stock, "
                                        "p.category_id, p.attributes, p.images, p.status, p.version, p.created_at, "
                                        "p.updated_at, p.seq, p.options, p.price_max FROM products p WHERE p.id IN (" +
                                        placeholders(n) + ")";
                             })),
      variants_of_products_(shapes(db,
                                   [](std::size_t n) {
                                       return "SELECT " + std::string(kVariantColumns) +
                                              " FROM product_variants WHERE product_id IN (" + placeholders(n) +
                                              ") ORDER BY seq";
                                   })),
      any_zone_(db, "SELECT 1 FROM shipping_zones LIMIT 1"),
      tax_rates_(db,
                 "SELECT id, country, region, name, rate_bp, shipping_taxable, created_at, updated_at FROM tax_rates "
                 "WHERE country = ?"),
      user_(db, "SELECT id, email, name, role, created_at, token_generation FROM users WHERE id = ?"),
      take_stock_(shapes(db,
                         [](std::size_t n) {
                             return "UPDATE product_variants SET stock = stock - " + need_sql(n) +
                                    ", updated_at = ? WHERE id IN (" + placeholders(n) + ") AND stock >= " +
                                    need_sql(n) + " AND (SELECT count(*) FROM product_variants WHERE id IN (" +
                                    placeholders(n) + ") AND stock >= " + need_sql(n) + ") = ? RETURNING product_id, id";
                         })),
      // "(status || '')", as in shopd: with the bare column, three products and no
      // sqlite_stat1, SQLite 3.40 walks products_status_price (every active product, ~400,000
      // VM steps on 100,000 products) instead of the three keys.
      shift_product_stock_(shapes(db,
                                  [](std::size_t n) {
                                      return "UPDATE products SET stock = stock + CASE id" + repeat(" WHEN ? THEN ?", n) +
                                             " END, version = version + 1, updated_at = ? WHERE id IN (" +
                                             placeholders(n) + ") AND (status || '') = 'active'";
                                  })),
      insert_order_(db,
                    "INSERT INTO orders(id, user_id, status, total, currency, shipping_address, created_at, "
                    "updated_at, expires_at, payment_id, subtotal, discount_total, shipping_total, tax_total, "
                    "shipping, discount, discount_id, customer, email, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
      insert_items_(shapes(db,
                           [](std::size_t n) {
                               std::string sql =
                                   "INSERT INTO order_items(order_id, line, product_id, sku, name, unit_price, "
                                   "quantity, line_total, variant_id, options, discount, tax) VALUES ";
                               for (std::size_t i = 0; i < n; ++i) sql += (i ? ", (" : "(") + placeholders(12) + ")";
                               return sql;
                           })),
      insert_event_(db, "INSERT INTO events(type, created_at, data) VALUES (?, ?, ?) RETURNING seq"),
      endpoints_(db,
                 "SELECT id, url, events, description, secret, enabled, created_at, updated_at FROM webhook_endpoints "
                 "WHERE enabled = 1"),
      watermark_(db, "SELECT seq FROM data_watermarks WHERE consumer = ?"),
      set_watermark_(db,
                     "INSERT INTO data_watermarks(consumer, seq) VALUES (?, ?) "
                     "ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq"),
      complete_key_(db,
                    "UPDATE idempotency_keys SET status = ?, response_body = ?, response_headers = ? WHERE user_id = ? "
                    "AND key = ?") {}

// ProductCatalog::items: the variants named, their products, and those products' variants.
void PlaceOrder::read_items(std::vector<Line>& lines) {
    const std::size_t n = lines.size();
    Stmt& variants = variants_by_id_[n - 1];
    Binds bv(variants);
    for (const auto& l : lines) bv(l.variant_id);
    std::size_t found = 0;
    while (variants.step()) {
        variants.touch_row();
        auto id = variants.text(0);
        for (auto& l : lines) {
            if (l.variant_id != id) continue;
            l.product_id = variants.text(1);
            l.sku = variants.text(2);
            l.options = variants.text(3);
            l.unit_price = variants.i64(4);
            ++found;
        }
    }
    variants.reset();
    if (found != n) throw std::runtime_error("a variant of the order is missing");

    Stmt& products = products_by_id_[n - 1];
    Binds bp(products);
    for (const auto& l : lines) bp(l.product_id);
    std::vector<std::string> product_ids;  // as found, which is what shopd asks the variants of
    while (products.step()) {
        products.touch_row();
        auto id = products.text(0);
        for (auto& l : lines)
            if (l.product_id == id) l.name = products.text(2);
        product_ids.emplace_back(id);
    }
    products.reset();

    Stmt& siblings = variants_of_products_[product_ids.size() - 1];
    Binds bs(siblings);
    for (const auto& id : product_ids) bs(id);
    while (siblings.step()) siblings.touch_row();
    siblings.reset();
}

// ProductInventory::reserve -> VariantRepository::take_stock and shift_product_stock.
void PlaceOrder::take_stock(const std::vector<Line>& lines, std::int64_t now) {
    std::map<std::string_view, std::int64_t> wanted;
    for (const auto& l : lines) wanted[l.variant_id] += l.quantity;
    Stmt& take = take_stock_[wanted.size() - 1];
    Binds b(take);
    auto bind_need = [&] {
        for (const auto& kv : wanted) b(kv.first)(kv.second);
    };
    auto bind_keys = [&] {
        for (const auto& kv : wanted) b(kv.first);
    };
    bind_need();
    b(now);
    bind_keys();
    bind_need();
    bind_keys();
    bind_need();
    b(static_cast<std::int64_t>(wanted.size()));
    std::map<std::string, std::int64_t> by_product;
    std::size_t changed = 0;
    while (take.step()) {
        take.touch_row();
        by_product[std::string(take.text(0))] -= wanted.at(take.text(1));
        ++changed;
    }
    take.reset();
    if (changed != wanted.size()) throw std::runtime_error("the stock reservation failed");

    Stmt& shift = shift_product_stock_[by_product.size() - 1];
    Binds bs(shift);
    for (const auto& kv : by_product) bs(kv.first)(kv.second);
    bs(now);
    for (const auto& kv : by_product) bs(kv.first);
    if (shift.run() != static_cast<std::int64_t>(by_product.size()))
        throw std::runtime_error("a product of the order is not for sale");
}

void PlaceOrder::place(const OrderRequest& req) {
    const std::int64_t now = now_ms();
    std::vector<Line> lines;
    for (const auto& id : req.variant_ids) lines.push_back({id, {}, {}, {}, {}, 0, 1});

    savepoint_.run();
    // core::Idempotency::claim
    Binds{claim_}(req.user_id)(req.key)(req.fingerprint)(now);
    if (claim_.run() != 1)
        throw std::runtime_error("the idempotency key was taken");
    // OrderService::checkout: the items, shipping zones (none), tax rates (none), the buyer's e-mail.
    read_items(lines);
    while (any_zone_.step()) any_zone_.touch_row();
    any_zone_.reset();
    Binds{tax_rates_}("US");
    while (tax_rates_.step()) tax_rates_.touch_row();
    tax_rates_.reset();
    Binds{user_}(req.user_id);
    if (!user_.step()) throw std::runtime_error("no such buyer");
    user_.touch_row();
    email_ = user_.text(1);
    user_.reset();
    std::int64_t total = 0;
    for (const auto& l : lines) total += l.unit_price * l.quantity;

    // OrderService::create: the stock, then the order and its lines.
    take_stock(lines, now);
    const std::string id = ids_.make("ord", now);
    Binds{insert_order_}(id)(req.user_id)("pending_payment")(total)("USD")(kAddress)(now)(now)(now + kOrderTtlMs)(
        nullptr)(total)(std::int64_t{0})(std::int64_t{0})(std::int64_t{0})(nullptr)(nullptr)(nullptr)(nullptr)(email_)(
        nullptr);
    insert_order_.run();
    Stmt& items = insert_items_[lines.size() - 1];
    Binds bi(items);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        bi(id)(static_cast<std::int64_t>(i))(l.product_id)(l.sku)(l.name)(l.unit_price)(l.quantity)(
            l.unit_price * l.quantity)(l.variant_id)(l.options)(std::int64_t{0})(std::int64_t{0});
    }
    items.run();

    // Tx::emit -> events::Bus::record, then the in-transaction subscribers of order.created:
    // only the webhooks projection (WebhookService::fan_out, EventFeed::apply).
    event_data_ = R"({"currency":"USD","items":[)";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        fmt::format_to(std::back_inserter(event_data_),
                       R"({}{{"product_id":"{}","quantity":{},"unit_price":{},"variant_id":"{}"}})", i ? "," : "",
                       l.product_id, l.quantity, l.unit_price, l.variant_id);
    }
    fmt::format_to(std::back_inserter(event_data_), R"(],"order_id":"{}","total":{},"user_id":"{}"}})", id, total,
                   req.user_id);
    Binds{insert_event_}("order.created")(now)(event_data_);
    if (!insert_event_.step()) throw std::runtime_error("no seq for the event");
    const std::int64_t seq = insert_event_.i64(0);
    insert_event_.reset();
    while (endpoints_.step()) endpoints_.touch_row();
    endpoints_.reset();
    Binds{watermark_}("webhooks");
    std::int64_t mark = watermark_.step() ? watermark_.i64(0) : 0;
    watermark_.reset();
    // Every event goes to the webhooks projection, so its watermark is always the last seq.
    if (seq != mark + 1) throw std::logic_error("the webhooks watermark fell behind");
    Binds{set_watermark_}("webhooks")(seq);
    set_watermark_.run();

    // core::Idempotency::complete: the answer as shopd's order_json.cpp writes it.
    const std::string at = rfc3339(now);
    body_.clear();
    fmt::format_to(std::back_inserter(body_),
                   R"({{"created_at":"{}","currency":"USD","delivered_at":null,"discount":null,"discount_total":0,)"
                   R"("email":"{}","expires_at":"{}","id":"{}","items":[)",
                   at, email_, rfc3339(now + kOrderTtlMs), id);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        fmt::format_to(std::back_inserter(body_),
                       R"({}{{"discount":0,"line_total":{},"name":"{}","options":{},"product_id":"{}","quantity":{},)"
                       R"("sku":"{}","tax":0,"unit_price":{},"variant_id":"{}"}})",
                       i ? "," : "", l.unit_price * l.quantity, l.name, l.options, l.product_id, l.quantity, l.sku,
                       l.unit_price, l.variant_id);
    }
    fmt::format_to(std::back_inserter(body_),
                   R"(],"shipments":[],"shipping":null,"shipping_address":{},"shipping_total":0,)"
                   R"("status":"pending_payment","subtotal":{},"tax_total":0,"total":{},"updated_at":"{}","user_id":"{}"}})",
                   kAddress, total, total, at, req.user_id);
    headers_ = fmt::format(R"({{"Content-Type":"application/json","Location":"/api/v1/orders/{}"}})", id);
    Binds{complete_key_}(std::int64_t{201})(body_)(headers_)(req.user_id)(req.key);
    if (complete_key_.run() != 1) throw std::runtime_error("the idempotency key vanished");
    release_.run();
}

}  // namespace shop::bench
