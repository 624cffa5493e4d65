#include "order_service.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "money.hpp"
#include "shipment_plan.hpp"
#include "return_repository.hpp"
#include "shop/core/digest.hpp"
#include "shop/core/log.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"
#include "shop/events/order_events.hpp"

namespace shop::order {

using nlohmann::json;

namespace {
core::Counter& outcome(core::Metrics& m, const char* name) {
    return m.counter("shopd_orders_total", "Orders by outcome", fmt::format("outcome=\"{}\"", name));
}

// The lines as the order events carry them.
std::vector<events::OrderLine> event_lines(const Order& o) {
    std::vector<events::OrderLine> lines;
    for (const auto& i : o.items) lines.push_back({i.product_id, i.quantity, i.unit_price, i.variant_id});
    return lines;
}

std::vector<events::ShipmentLine> event_lines(const Shipment& s) {
    std::vector<events::ShipmentLine> lines;
    for (const auto& l : s.items) lines.push_back({l.variant_id, l.quantity});
    return lines;
}
}  // namespace

OrderSettings read_order_settings(core::Settings& settings) {
    OrderSettings s;
    settings.read({
        core::Setting::integer("shop.order_ttl_s", "SHOPD_ORDER_TTL", 1, 2147483647.0, s.order_ttl_s),
        core::Setting::integer("shop.max_open_orders", "SHOPD_MAX_OPEN_ORDERS", 0, 1000000, s.max_open_orders),
        core::Setting::boolean("shop.prices_include_tax", "SHOPD_PRICES_INCLUDE_TAX", s.prices_include_tax),
        core::Setting::integer("shop.return_window_days", "SHOPD_RETURN_WINDOW_DAYS", 0, 36500, s.return_window_days),
    });
    return s;
}

OrderService::OrderService(Runtime& rt, api::Catalog& catalog, api::Inventory& inventory, api::Users& users,
                           Later<api::Payments> payments, OrderSettings settings)
    : rt_(rt),
      catalog_(catalog),
      inventory_(inventory),
      users_(users),
      payments_(std::move(payments)),
      settings_(settings),
      created_(outcome(rt.metrics, "created")),
      out_of_stock_(outcome(rt.metrics, "insufficient_stock")),
      cancelled_(outcome(rt.metrics, "cancelled")),
      expired_(outcome(rt.metrics, "expired")),
      paid_(outcome(rt.metrics, "paid")) {}

std::vector<LineRequest> OrderService::merged(const std::vector<LineRequest>& lines) const {
    // Two lines of one variant become one, in the order first named.
    std::vector<LineRequest> out;
    for (const auto& l : lines) {
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& x) { return x.id == l.id; });
        if (it == out.end()) out.push_back(l);
        else it->quantity += l.quantity;
    }
    for (const auto& l : out)
        if (l.quantity > kMaxQuantity)
            throw Error::validation("items", fmt::format("at most {} of one product per order", kMaxQuantity))
                .with_field("variant_id", l.id);
    return out;
}

namespace {
// The lines resolved against the catalogue: each a variant for sale, or a 422 naming it.
void check_item(const std::optional<api::Item>& item, const LineRequest& l, std::size_t i) {
    const std::string at = fmt::format("items[{}]", i);
    if (!item)
        throw Error::validation(at + (l.by_variant ? ".variant_id" : ".product_id"), "no such product is for sale")
            .with_field(l.by_variant ? "variant_id" : "product_id", l.id);
    if (l.product_id && *l.product_id != item->product.id)
        throw Error::validation(at + ".variant_id", "is not a variant of product_id")
            .with_field("variant_id", l.id);
    if (!item->variant)
        throw Error("variant_required",
                    fmt::format("product {} has options: name one of its variants by variant_id", l.id))
            .with_errors({{at + ".variant_id", "is required for a product with options"}})
            .with_field("product_id", item->product.id);
    if (!item->sellable())
        throw Error::validation(at + (l.by_variant ? ".variant_id" : ".product_id"), "no such product is for sale")
            .with_field("product_id", item->product.id)
            .with_field("variant_id", item->variant->id);
}
}  // namespace

nlohmann::json OrderService::resolve_address(db::Conn& c, const std::string& user_id, const OrderRequest& req) {
    if (req.shipping_address) return *req.shipping_address;
    auto a = users_.address(c, user_id, *req.address_id);
    // Someone else's address id is as unknown as a made-up one.
    if (!a) throw Error::validation("address_id", "no such address");
    return users_.to_json(*a);
}

namespace {
Error exhausted(const Discount& d, bool by_customer) {
    return Error("discount_exhausted", by_customer
                                           ? fmt::format("you have used discount code {} as often as it allows", d.code)
                                           : fmt::format("discount code {} has been used up", d.code))
        .with_field("discount_code", d.code);
}

// The key the per-customer limit counts by: the buyer's e-mail, so a user and a guest
// with one address share it.
std::string customer_key(const std::optional<std::string>& email, const std::string& user_id) {
    return email ? ascii_lower(*email) : "user:" + user_id;
}
}  // namespace

OrderService::Checkout OrderService::checkout(db::Conn& c, const std::string& user_id, const OrderRequest& req,
                                              bool rate_required) {
    const bool guest = user_id.empty();
    // Guests order explicit items to an inline address (the handlers say so first).
    if (guest && (req.from_cart || req.address_id))
        throw Error::validation(req.from_cart ? "from_cart" : "address_id", "needs a signed-in user");
    std::vector<LineRequest> lines = req.items;
    if (req.from_cart)
        for (const auto& l : carts_.lines(c, user_id)) lines.push_back({l.variant_id, l.quantity, std::nullopt, true});
    if (lines.empty())
        throw Error::validation(req.from_cart ? "from_cart" : "items",
                                   req.from_cart ? "the cart is empty" : "must name at least one product");
    lines = merged(lines);
    // An order holds at most kMaxLines lines, as the items form and the cart (cart_full)
    // say, which also bounds the statements that write it.
    if (lines.size() > static_cast<std::size_t>(kMaxLines))
        throw Error::validation(req.from_cart ? "from_cart" : "items",
                                   fmt::format("an order holds at most {} lines", kMaxLines));

    Checkout out;
    Order& o = out.order;
    o.user_id = user_id;
    o.currency = rt_.config.shop.currency;
    o.shipping_address = resolve_address(c, user_id, req);

    std::vector<std::string> ids;
    for (const auto& l : lines) ids.push_back(l.id);
    auto items = catalog_.items(c, ids);
    pricing::Input in;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& l = lines[i];
        check_item(items[i], l, i);
        const api::ProductInfo& p = items[i]->product;
        const api::VariantInfo& v = *items[i]->variant;
        // Name, sku, options and price are copied now: later catalogue changes never touch
        // this order.
        o.items.push_back({p.id, v.sku, p.name, v.price, l.quantity, 0, v.id, v.options});
        out.stock.push_back({v.id, l.quantity});
        in.lines.push_back({p.id, p.category_id, v.price, l.quantity});
    }

    if (req.discount_code) {
        in.discount_code = *req.discount_code;
        out.discount = in.discount = discounts_.find_by_code(c, *req.discount_code);
        if (in.discount)
            for (const auto& cat : in.discount->category_ids)
                for (auto& id : catalog_.category_subtree(c, cat)) in.discount_categories.push_back(std::move(id));
    }
    in.country = o.shipping_address.value("country", "");
    in.region = o.shipping_address.value("region", "");
    in.shop_has_zones = shipping_.any_zone(c);
    if (in.shop_has_zones) in.zone = shipping_.zone_for_country(c, in.country);
    in.shipping_rate_id = req.shipping_rate_id;
    in.rate_required = rate_required;
    in.tax_rates = taxes_.rates_for_country(c, in.country);
    in.prices_include_tax = settings_.prices_include_tax;
    in.now_ms = core::now_ms();
    pricing::Priced priced = pricing::price(in);

    for (std::size_t i = 0; i < o.items.size(); ++i) {
        o.items[i].line_total = priced.lines[i].line_total;
        o.items[i].discount = priced.lines[i].discount;
        o.items[i].tax = priced.lines[i].tax;
    }
    o.subtotal = priced.subtotal;
    o.discount_total = priced.discount_total;
    o.shipping_total = priced.shipping_total;
    o.tax_total = priced.tax_total;
    o.total = priced.total;
    if (priced.shipping)
        o.shipping = {{"rate_id", priced.shipping->rate_id},
                      {"name", priced.shipping->name},
                      {"price", priced.shipping->price}};
    if (priced.discount) {
        o.discount = {{"code", priced.discount->code},
                      {"type", to_string(priced.discount->type)},
                      {"amount", priced.discount->amount}};
        o.discount_id = priced.discount->id;
    }
    o.email = guest ? req.email : users_.email(c, user_id);
    if (o.discount_id) o.customer = customer_key(o.email, user_id);
    out.shipping_options = std::move(priced.shipping_options);
    return out;
}

Quote OrderService::quote(const std::string& user_id, const OrderRequest& req) {
    return rt_.db.read([&](db::Conn& c) {
        Checkout co = checkout(c, user_id, req, false);
        // A code already used up would be refused by the order: the quote says so too.
        if (co.discount) {
            const Discount& d = *co.discount;
            if (d.usage_limit && d.usage_count >= *d.usage_limit) throw exhausted(d, false);
            // A guest's quote before the e-mail is typed cannot know their uses yet.
            if (d.per_customer_limit && co.order.email &&
                redemptions_.uses_by(c, d.id, *co.order.customer) >= *d.per_customer_limit)
                throw exhausted(d, true);
        }
        return Quote{std::move(co.order), std::move(co.shipping_options)};
    });
}

Order OrderService::create(db::Tx& tx, const std::string& user_id, const OrderRequest& req) {
    const bool guest = user_id.empty();
    if (guest && !req.email) throw Error::validation("email", "is required to order without an account");
    // Counted in the writing transaction, so concurrent checkouts cannot pass it together; a
    // guest's by e-mail.
    if (settings_.max_open_orders > 0 &&
        (guest ? orders_.count_open_by_guest(tx, *req.email) : orders_.count_open(tx, user_id)) >=
            settings_.max_open_orders)
        throw Error("too_many_open_orders",
                    fmt::format("you have {} orders waiting for payment; pay or cancel one first",
                                settings_.max_open_orders))
            .with_field("max_open_orders", settings_.max_open_orders);

    Checkout co = checkout(tx, user_id, req, true);
    Order o = std::move(co.order);
    o.id = core::new_id("ord");
    if (guest) {
        // The token is the guest's only key to this order: shown once, kept as a hash.
        o.order_token = "otok_" + core::random_token(24);
        o.token_hash = core::sha256_hex(*o.order_token);
    }

    auto r = inventory_.reserve(tx, co.stock);
    if (r.outcome == api::Reservation::Outcome::Insufficient) {
        out_of_stock_.inc();
        throw Error("insufficient_stock", "not enough stock for product " + r.product_id)
            .with_field("product_id", r.product_id)
            .with_field("variant_id", r.variant_id);
    }
    if (r.outcome == api::Reservation::Outcome::Unavailable)
        throw Error::validation("items", "no such product is for sale")
            .with_field("product_id", r.product_id)
            .with_field("variant_id", r.variant_id);

    // The code's use is taken here, by conditional updates, like the stock above.
    if (co.discount) {
        auto taken = redemptions_.take(tx, co.discount->id, *o.customer, co.discount->per_customer_limit);
        if (taken != RedemptionRepository::Taken::Ok)
            throw exhausted(*co.discount, taken == RedemptionRepository::Taken::CustomerUsedUp);
    }

    o.created_at_ms = o.updated_at_ms = core::now_ms();
    o.expires_at_ms = o.created_at_ms + static_cast<std::int64_t>(settings_.order_ttl_s) * 1000;
    orders_.insert(tx, o);
    if (req.from_cart) carts_.clear(tx, user_id);
    tx.emit(events::OrderCreated{o.id, o.user_id, o.total, o.currency, event_lines(o)});
    created_.inc();
    return o;
}

std::optional<Order> OrderService::find(const std::string& id) {
    return rt_.db.read([&](db::Conn& c) { return orders_.find(c, id); });
}

namespace {
// Only guest orders have a token. It keeps opening its order after an account registered
// with the order's e-mail has taken it: the buyer may still hold the link.
bool token_opens(const Order& o, std::string_view order_token) {
    return o.token_hash && core::digest_equal(*o.token_hash, core::sha256_hex(order_token));
}
}  // namespace

std::optional<Order> OrderService::find_for_guest(const std::string& id, std::string_view order_token) {
    auto o = find(id);
    if (!o || !token_opens(*o, order_token)) return std::nullopt;
    return o;
}

std::vector<Order> OrderService::list(const OrderFilter& f, const std::optional<OrderCursor>& after, int limit) {
    return rt_.db.read([&](db::Conn& c) { return orders_.list(c, f, after, limit); });
}

void OrderService::invalid_transition(const Order& o, Action a) const {
    throw Error("invalid_transition",
                fmt::format("cannot {} an order that is {}", to_string(a), to_string(o.status)))
        .with_field("order_status", std::string(to_string(o.status)));
}

void OrderService::give_back_code(db::Tx& tx, const Order& o) {
    // Only an order that was never paid gives its use back: a paid one used the code.
    if (o.discount_id && o.customer) redemptions_.give_back(tx, *o.discount_id, *o.customer);
}

std::vector<api::StockLine> OrderService::stock_lines(const Order& o) const {
    std::vector<api::StockLine> lines;
    for (const auto& i : o.items) lines.push_back({i.variant_id, i.quantity});
    return lines;
}

Order OrderService::cancel(const std::string& id) {
    // A concurrent change (payment, expiry, ship) can move the order under us: look again.
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto o = find(id);
        if (!o) throw Error::not_found("no such order");
        if (!next_status(o->status, Action::Cancel)) invalid_transition(*o, Action::Cancel);
        if (o->status == Status::PendingPayment) {
            bool done = rt_.db.write([&](db::Tx& tx) {
                if (!orders_.transition(tx, o->id, o->status, Status::Cancelled, core::now_ms())) return false;
                inventory_.release(tx, stock_lines(*o));
                give_back_code(tx, *o);
                tx.emit(events::OrderCancelled{o->id, o->user_id, std::string(to_string(o->status)), 0});
                return true;
            });
            if (!done) continue;
            cancelled_.inc();
            return *find(id);
        }
        if (!payments_.resolved())
            throw Error("payments_unavailable", "payments are not configured").with_retry_after(5);
        // A paid order is marked before its money moves: a ship arriving while the provider
        // refunds is refused (409), so no order is both shipped and refunded. The state and
        // the stock change only after the refund, so a crash in between leaves a paid order
        // (marked; a cancel asked again finishes it), never a cancelled one whose stock is lost.
        // The provider is called outside any transaction; if it refuses, the mark is lifted.
        if (!rt_.db.write([&](db::Tx& tx) { return orders_.begin_cancel(tx, o->id, core::now_ms()); })) continue;
        std::int64_t refunded = 0;
        try {
            refunded = payments_->refund_order_in_full(o->id);
        } catch (...) {
            rt_.db.write([&](db::Tx& tx) { orders_.end_cancel(tx, o->id); });
            throw;
        }
        bool done = rt_.db.write([&](db::Tx& tx) {
            if (!orders_.transition(tx, o->id, Status::Paid, Status::Cancelled, core::now_ms())) return false;
            inventory_.release(tx, stock_lines(*o));
            tx.emit(events::OrderCancelled{o->id, o->user_id, std::string(to_string(Status::Paid)), refunded});
            return true;
        });
        if (!done) continue;
        cancelled_.inc();
        return *find(id);
    }
    throw Error("invalid_transition", "the order changed while cancelling it; try again");
}

int OrderService::finish_interrupted_cancels(int limit) {
    if (!payments_.resolved()) return 0;
    const std::int64_t before =
        core::now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(payments_->settle_after()).count();
    int finished = 0;
    for (const std::string& id : rt_.db.read([&](db::Conn& c) { return orders_.cancels_started_before(c, before, limit); })) {
        try {
            cancel(id);
            ++finished;
            log::info("finished the cancel of order {} that a crash interrupted", id);
        } catch (const std::exception& e) {
            log::warn("finishing the interrupted cancel of order {}: {}; the next round tries again", id, e.what());
        }
    }
    return finished;
}

Order OrderService::advance(const std::string& id, Action action) {
    if (action == Action::Ship) {
        ship(id, ShipmentRequest{});
        return *find(id);
    }
    if (action != Action::Deliver)
        throw std::logic_error(fmt::format("advance() cannot {} an order", to_string(action)));
    auto o = find(id);
    if (!o) throw Error::not_found("no such order");
    auto to = next_status(o->status, action);
    if (!to) invalid_transition(*o, action);
    bool done = rt_.db.write([&](db::Tx& tx) {
        const std::int64_t now = core::now_ms();
        if (!orders_.transition(tx, o->id, o->status, *to, now)) return false;
        // Returns (section 11) are accepted for a while after this moment.
        record_delivery(tx, o->id, now);
        tx.emit(events::OrderDelivered{o->id, o->user_id});
        return true;
    });
    if (!done) invalid_transition(*find(id), action);
    return *find(id);
}

Shipment OrderService::ship(const std::string& id, const ShipmentRequest& req) {
    // Everything is decided inside the transaction from what it reads, so a retried attempt
    // (SQLITE_BUSY, a serialization failure) decides afresh; nothing captured is changed.
    struct Outcome {
        std::optional<Shipment> made;
        Status status = Status::Paid;  // the order's, when no shipment was made
    };
    Outcome out = rt_.db.write([&](db::Tx& tx) -> Outcome {
        auto o = orders_.find(tx, id);
        if (!o) throw Error::not_found("no such order");
        if (!next_status(o->status, Action::Ship)) return {std::nullopt, o->status};
        ShipmentPlan plan = plan_shipment(o->items, shipments_.shipped(tx, id), req.items);
        Status to = *next_status(o->status, plan.takes_the_rest ? Action::Ship : Action::ShipPartly);
        if (plan.lines.empty())  // paid and partially_shipped orders always have units left
            throw std::logic_error(fmt::format("order {} is {} with nothing left to ship", id, to_string(o->status)));
        const std::int64_t now = core::now_ms();
        // Refused only while a cancel is refunding the order (begin_cancel): the status was
        // just read in this transaction.
        if (!orders_.transition(tx, id, o->status, to, now)) return {std::nullopt, o->status};
        Shipment s{core::new_id("shp"), req.carrier, req.tracking_number, req.tracking_url, std::move(plan.lines),
                   now};
        shipments_.insert(tx, id, s);
        tx.emit(events::ShipmentCreated{o->id, o->user_id, s.id, s.carrier, s.tracking_number, s.tracking_url,
                                        event_lines(s)});
        if (to == Status::Shipped) tx.emit(events::OrderShipped{o->id, o->user_id});
        return {std::move(s), to};
    });
    if (out.made) return std::move(*out.made);
    if (next_status(out.status, Action::Ship))
        throw Error("invalid_transition", "the order is being cancelled and refunded; it cannot ship")
            .with_field("order_status", std::string(to_string(out.status)));
    throw Error("invalid_transition", fmt::format("cannot ship an order that is {}", to_string(out.status)))
        .with_field("order_status", std::string(to_string(out.status)));
}

void OrderService::claim_guest_orders(db::Tx& tx, const events::Event& registered) {
    const auto user_id = registered.data.value("user_id", std::string());
    auto email = users_.email(tx, user_id);
    if (!email) return;
    auto n = orders_.claim_guest_orders(tx, user_id, *email, registered.created_at_ms);
    if (n) log::info("account {} took {} orders placed as a guest", user_id, n);
}

int OrderService::expire_due(int limit) {
    auto ids = rt_.db.read([&](db::Conn& c) { return orders_.due_for_expiry(c, core::now_ms(), limit); });
    int expired = 0;
    for (const auto& id : ids) {
        bool done = rt_.db.write([&](db::Tx& tx) {
            auto o = orders_.find(tx, id);
            // Another replica, a payment or a cancel may have got there first: only the
            // transaction whose conditional update wins releases the stock.
            if (!o || !orders_.transition(tx, id, Status::PendingPayment, Status::Expired, core::now_ms()))
                return false;
            inventory_.release(tx, stock_lines(*o));
            give_back_code(tx, *o);
            tx.emit(events::OrderExpired{id, o->user_id});
            return true;
        });
        if (done) {
            ++expired;
            expired_.inc();
        }
    }
    if (expired) log::info("expired {} unpaid orders", expired);
    return expired;
}

std::optional<api::OrderSummary> OrderService::order(db::Conn& c, std::string_view order_id) {
    auto o = orders_.find(c, std::string(order_id));
    if (!o) return std::nullopt;
    return api::OrderSummary{o->id, o->user_id, std::string(to_string(o->status)), o->total, o->currency};
}

bool OrderService::opened_by(db::Conn& c, std::string_view order_id, std::string_view order_token) {
    auto o = orders_.find(c, std::string(order_id));
    return o && token_opens(*o, order_token);
}

std::optional<api::OrderReceipt> OrderService::receipt(db::Conn& c, std::string_view order_id) {
    auto o = orders_.find(c, std::string(order_id));
    if (!o) return std::nullopt;
    api::OrderReceipt r{o->id,          o->user_id,      o->email,     o->currency, o->subtotal,
                        o->discount_total, o->shipping_total, o->tax_total, o->total,    {}};
    for (const auto& i : o->items)
        r.lines.push_back({i.variant_id, i.name, i.sku, i.quantity, i.unit_price, i.line_total});
    return r;
}

bool OrderService::mark_paid(db::Tx& tx, std::string_view order_id, std::string_view payment_id) {
    auto o = orders_.find(tx, std::string(order_id));
    if (!o || !orders_.transition(tx, o->id, Status::PendingPayment, Status::Paid, core::now_ms(),
                                  std::string(payment_id)))
        return false;
    tx.emit(events::OrderPaid{o->id, o->user_id, std::string(payment_id), o->total, o->currency, event_lines(*o),
                              o->subtotal, o->discount_total, o->shipping_total, o->tax_total});
    paid_.inc();
    return true;
}

}  // namespace shop::order
