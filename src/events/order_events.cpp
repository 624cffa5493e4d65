#include "shop/events/order_events.hpp"

#include "events/json_fields.hpp"

namespace shop::events {

using nlohmann::json;
using namespace fields;

namespace {
// order.expired, order.shipped and order.delivered carry the same two ids.
template <class E>
void ids_to_json(json& j, const E& e) {
    j = {{"order_id", e.order_id}, {"user_id", e.user_id}};
}
template <class E>
void ids_from_json(const json& j, E& e) {
    e.order_id = text(j, "order_id");
    e.user_id = text(j, "user_id");
}
}  // namespace

void to_json(json& j, const OrderLine& l) {
    j = {{"product_id", l.product_id},
         {"variant_id", l.variant_id},
         {"quantity", l.quantity},
         {"unit_price", l.unit_price}};
}
void from_json(const json& j, OrderLine& l) {
    l.product_id = text(j, "product_id");
    l.quantity = integer(j, "quantity");
    l.unit_price = integer(j, "unit_price");
    l.variant_id = j.contains("variant_id") ? text(j, "variant_id") : l.product_id;
}

void to_json(json& j, const OrderCreated& e) {
    j = {{"order_id", e.order_id},
         {"user_id", e.user_id},
         {"total", e.total},
         {"currency", e.currency},
         {"items", e.items}};
}
void from_json(const json& j, OrderCreated& e) {
    ids_from_json(j, e);
    e.total = integer(j, "total");
    e.currency = text(j, "currency");
    e.items = list<OrderLine>(j, "items");
}

void to_json(json& j, const OrderPaid& e) {
    j = {{"order_id", e.order_id},
         {"user_id", e.user_id},
         {"payment_id", e.payment_id},
         {"total", e.total},
         {"currency", e.currency},
         {"items", e.items},
         {"subtotal", e.subtotal},
         {"discount_total", e.discount_total},
         {"shipping_total", e.shipping_total},
         {"tax_total", e.tax_total}};
}
void from_json(const json& j, OrderPaid& e) {
    ids_from_json(j, e);
    e.payment_id = text(j, "payment_id");
    e.total = integer(j, "total");
    e.currency = text(j, "currency");
    e.items = list<OrderLine>(j, "items");
    // Absent in events logged before the breakdown: the whole total was the subtotal.
    e.subtotal = j.contains("subtotal") ? integer(j, "subtotal") : e.total;
    e.discount_total = j.contains("discount_total") ? integer(j, "discount_total") : 0;
    e.shipping_total = j.contains("shipping_total") ? integer(j, "shipping_total") : 0;
    e.tax_total = j.contains("tax_total") ? integer(j, "tax_total") : 0;
}

void to_json(json& j, const OrderCancelled& e) {
    j = {{"order_id", e.order_id}, {"user_id", e.user_id}, {"from", e.from}, {"refunded", e.refunded}};
}
void from_json(const json& j, OrderCancelled& e) {
    ids_from_json(j, e);
    e.from = text(j, "from");
    e.refunded = integer(j, "refunded");
}

void to_json(json& j, const OrderExpired& e) {
    ids_to_json(j, e);
}
void from_json(const json& j, OrderExpired& e) {
    ids_from_json(j, e);
}
void to_json(json& j, const OrderShipped& e) {
    ids_to_json(j, e);
}
void from_json(const json& j, OrderShipped& e) {
    ids_from_json(j, e);
}
void to_json(json& j, const ShipmentLine& l) {
    j = {{"variant_id", l.variant_id}, {"quantity", l.quantity}};
}
void from_json(const json& j, ShipmentLine& l) {
    l.variant_id = text(j, "variant_id");
    l.quantity = integer(j, "quantity");
}

void to_json(json& j, const ShipmentCreated& e) {
    j = {{"order_id", e.order_id},
         {"user_id", e.user_id},
         {"shipment_id", e.shipment_id},
         {"carrier", nullable(e.carrier)},
         {"tracking_number", nullable(e.tracking_number)},
         {"tracking_url", nullable(e.tracking_url)},
         {"items", e.items}};
}
void from_json(const json& j, ShipmentCreated& e) {
    ids_from_json(j, e);
    e.shipment_id = text(j, "shipment_id");
    e.carrier = nullable_text(j, "carrier");
    e.tracking_number = nullable_text(j, "tracking_number");
    e.tracking_url = nullable_text(j, "tracking_url");
    e.items = list<ShipmentLine>(j, "items");
}

void to_json(json& j, const OrderDelivered& e) {
    ids_to_json(j, e);
}
void from_json(const json& j, OrderDelivered& e) {
    ids_from_json(j, e);
}

void to_json(json& j, const ReturnLine& l) {
    j = {{"variant_id", l.variant_id}, {"quantity", l.quantity}, {"refund_amount", l.refund_amount}};
}
void from_json(const json& j, ReturnLine& l) {
    l.variant_id = text(j, "variant_id");
    l.quantity = integer(j, "quantity");
    l.refund_amount = integer(j, "refund_amount");
}

void to_json(json& j, const ReturnRequested& e) {
    j = {{"return_id", e.return_id},
         {"order_id", e.order_id},
         {"user_id", e.user_id},
         {"refund_amount", e.refund_amount},
         {"currency", e.currency},
         {"items", e.items}};
}
void from_json(const json& j, ReturnRequested& e) {
    e.return_id = text(j, "return_id");
    ids_from_json(j, e);
    e.refund_amount = integer(j, "refund_amount");
    e.currency = text(j, "currency");
    e.items = list<ReturnLine>(j, "items");
}

void to_json(json& j, const ReturnReceived& e) {
    j = {{"return_id", e.return_id},
         {"order_id", e.order_id},
         {"user_id", e.user_id},
         {"refund_amount", e.refund_amount},
         {"currency", e.currency},
         {"restocked", e.restocked},
         {"items", e.items}};
}
void from_json(const json& j, ReturnReceived& e) {
    e.return_id = text(j, "return_id");
    ids_from_json(j, e);
    e.refund_amount = integer(j, "refund_amount");
    e.currency = text(j, "currency");
    const json& restocked = field(j, "restocked");
    if (!restocked.is_boolean()) throw BadField("field restocked is not a boolean");
    e.restocked = restocked.get<bool>();
    e.items = list<ReturnLine>(j, "items");
}

void to_json(json& j, const ReturnRejected& e) {
    j = {{"return_id", e.return_id}, {"order_id", e.order_id}, {"user_id", e.user_id}};
}
void from_json(const json& j, ReturnRejected& e) {
    e.return_id = text(j, "return_id");
    ids_from_json(j, e);
}

}  // namespace shop::events
