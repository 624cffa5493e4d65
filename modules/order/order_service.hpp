#pragma once
// Checkout and the order life cycle. Stock is reached only through api::Inventory, in the
// same transaction that writes the order, so an order and its reservation commit together
// or not at all.
#include <optional>
#include <string>
#include <vector>

#include "order.hpp"
#include "order_repository.hpp"
#include "cart_repository.hpp"
#include "discount_repository.hpp"
#include "pricing.hpp"
#include "redemption_repository.hpp"
#include "shipment_repository.hpp"
#include "shipping_repository.hpp"
#include "tax_repository.hpp"
#include "shop/api/catalog.hpp"
#include "shop/api/inventory.hpp"
#include "shop/api/orders.hpp"
#include "shop/api/payments.hpp"
#include "shop/api/users.hpp"
#include "shop/module.hpp"

namespace shop::order {

// One line of an order request: a variant id, or the id of a product without options.
struct LineRequest {
    std::string id;
    std::int64_t quantity = 0;
    std::optional<std::string> product_id;  // when a line named both: the variant must be this product's
    bool by_variant = false;                // named by variant_id (errors name that field)
};

struct OrderRequest {
    std::vector<LineRequest> items;  // empty when from_cart
    bool from_cart = false;
    std::optional<nlohmann::json> shipping_address;  // validated address fields
    std::optional<std::string> address_id;          // or one of the user's saved addresses
    std::optional<std::string> shipping_rate_id;     // section 10
    std::optional<std::string> discount_code;
    std::optional<std::string> email;  // a guest's (section 11); a user orders under their account's
};

// A shipment asked for (API.md section 11). POST /orders/{id}/ship asks for one with
// everything null: every unit left, no tracking.
struct ShipmentRequest {
    std::optional<std::string> carrier;
    std::optional<std::string> tracking_number;
    std::optional<std::string> tracking_url;
    std::optional<std::vector<ShipmentLine>> items;  // nullopt: everything not yet shipped
};

// A quote: the order POST /orders would make now, unsaved, and the rates it may choose.
struct Quote {
    Order order;
    std::vector<pricing::ShippingOption> shipping_options;
};
nlohmann::json to_json(const Quote& q);

// The order module's settings: how long an unpaid order holds its stock, and how many a
// buyer may hold at once (0: no cap), so one account cannot hoard the stock.
struct OrderSettings {
    int order_ttl_s = 1800;
    int max_open_orders = 5;
    bool prices_include_tax = false;  // section 10: prices hold their tax
    int return_window_days = 30;      // section 11: returns accepted this long after delivery; 0: none
};
// shop.order_ttl_s (SHOPD_ORDER_TTL), shop.max_open_orders (SHOPD_MAX_OPEN_ORDERS),
// shop.prices_include_tax (SHOPD_PRICES_INCLUDE_TAX),
// shop.return_window_days (SHOPD_RETURN_WINDOW_DAYS);
// ConfigError for a bad value.
OrderSettings read_order_settings(core::Settings& settings);

class OrderService final : public api::Orders {
public:
    // payments: the payment module's refunds, resolved when composition ends (it is
    // composed after this module, and needs api::Orders). A composed shop always has it;
    // only a service built without composition (unit tests) answers a paid cancel with
    // 503 payments_unavailable.
    OrderService(Runtime& rt, api::Catalog& catalog, api::Inventory& inventory, api::Users& users,
                 Later<api::Payments> payments = {}, OrderSettings settings = {});

    // user_id empty: a guest's order (req.email required), which comes back with its
    // order_token. Inside the caller's write transaction: 422 for unknown/archived products or variants
    // or a bad address, 422 variant_required for a product with options named by its
    // product id, 409 insufficient_stock naming the short variant and its product.
    // Also 422 discount_invalid, shipping_unavailable or validation_failed (shipping rate),
    // and 409 discount_exhausted when the code's uses are used up, in total or by this buyer.
    Order create(db::Tx& tx, const std::string& user_id, const OrderRequest& req);
    // What create() would make now, with the same errors; reserves and takes nothing.
    Quote quote(const std::string& user_id, const OrderRequest& req);
    std::optional<Order> find(const std::string& id);
    // A guest's order, if `order_token` is its own; nullopt otherwise (as if it did not exist).
    std::optional<Order> find_for_guest(const std::string& id, std::string_view order_token);
    std::vector<Order> list(const OrderFilter& f, const std::optional<OrderCursor>& after, int limit);
    // pending_payment -> cancelled, or paid -> cancelled after a full refund; stock back.
    Order cancel(const std::string& id);
    // Ship: a shipment of everything left (ship() with no tracking); Deliver: shipped -> delivered.
    Order advance(const std::string& id, Action action);
    // Records a shipment of a paid or partially shipped order and moves the order to
    // partially_shipped, or to shipped when nothing is left, in one transaction with its
    // shipment.created (and order.shipped) events. What is left is read from the stored
    // shipments in that transaction, and the move is a conditional update, so concurrent
    // shipments never ship more than was ordered. 404 unknown order; 409 invalid_transition
    // in any other state or while a cancel refunds the order; the 422s of plan_shipment().
    Shipment ship(const std::string& id, const ShipmentRequest& req);
    // Expires unpaid orders past their deadline; safe when every replica runs it.
    int expire_due(int limit = 100);
    // Cancels of paid orders that a crash interrupted after their mark (begin_cancel), once
    // they are older than the payment module's settle_after: cancelling again finishes them,
    // since the refund is claimed under the order's key and the provider answers the same
    // refund. Run by a job; returns how many it finished.
    int finish_interrupted_cancels(int limit = 100);
    // On user.registered, in its transaction: the orders a guest placed with the new
    // account's e-mail before it existed become the account's (issue 18), so they appear in
    // its order list and open with its token. Later guest orders with that e-mail stay
    // guest orders: the buyer chose not to sign in. Idempotent.
    void claim_guest_orders(db::Tx& tx, const events::Event& registered);

    std::optional<api::OrderSummary> order(db::Conn& c, std::string_view order_id) override;
    bool mark_paid(db::Tx& tx, std::string_view order_id, std::string_view payment_id) override;
    bool opened_by(db::Conn& c, std::string_view order_id, std::string_view order_token) override;
    std::optional<api::OrderReceipt> receipt(db::Conn& c, std::string_view order_id) override;

    const OrderSettings& settings() const { return settings_; }

private:
    // What a quote and an order share: the lines resolved, the address, and the price.
    struct Checkout {
        Order order;  // all but id, status and times
        std::vector<api::StockLine> stock;
        std::optional<Discount> discount;
        std::vector<pricing::ShippingOption> shipping_options;
    };
    Checkout checkout(db::Conn& c, const std::string& user_id, const OrderRequest& req, bool rate_required);
    std::vector<LineRequest> merged(const std::vector<LineRequest>& lines) const;
    nlohmann::json resolve_address(db::Conn& c, const std::string& user_id, const OrderRequest& req);
    [[noreturn]] void invalid_transition(const Order& o, Action a) const;
    std::vector<api::StockLine> stock_lines(const Order& o) const;
    void give_back_code(db::Tx& tx, const Order& o);

    Runtime& rt_;
    api::Catalog& catalog_;
    api::Inventory& inventory_;
    api::Users& users_;
    Later<api::Payments> payments_;
    const OrderSettings settings_;
    OrderRepository orders_;
    ShipmentRepository shipments_;
    CartRepository carts_;
    ShippingRepository shipping_;
    TaxRepository taxes_;
    DiscountRepository discounts_;
    RedemptionRepository redemptions_;
    core::Counter& created_;
    core::Counter& out_of_stock_;
    core::Counter& cancelled_;
    core::Counter& expired_;
    core::Counter& paid_;
};

}  // namespace shop::order
