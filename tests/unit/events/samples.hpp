#pragma once
// One filled-in instance of every registered event, beside its data exactly as the
// publishers built it by hand before the events had structs: the event log is public API
// (GET /api/v1/events), so the structs must write those same bytes. A new event in
// events::AllEvents does not compile here until it has a sample.
#include <nlohmann/json.hpp>

#include "shop/events/registry.hpp"

namespace shop::test {

template <class E>
struct Sample {
    E event;
    nlohmann::json legacy;
};

using nlohmann::json;
using namespace shop::events;

inline json legacy_items() {
    return json::array({{{"product_id", "prod_1"}, {"variant_id", "prod_1"}, {"quantity", 2}, {"unit_price", 1000}},
                        {{"product_id", "prod_2"}, {"variant_id", "var_2"}, {"quantity", 1}, {"unit_price", 500}}});
}
inline std::vector<OrderLine> sample_items() {
    return {{"prod_1", 2, 1000, "prod_1"}, {"prod_2", 1, 500, "var_2"}};
}

inline Sample<UserRegistered> sample(std::type_identity<UserRegistered>) {
    return {{"usr_1"}, {{"user_id", "usr_1"}}};
}
inline Sample<UserRoleChanged> sample(std::type_identity<UserRoleChanged>) {
    return {{"usr_1", "admin"}, {{"user_id", "usr_1"}, {"role", "admin"}}};
}
inline Sample<ProductCreated> sample(std::type_identity<ProductCreated>) {
    return {{"prod_1", "cat_1", 1999, "USD", 7},
            {{"product_id", "prod_1"}, {"category_id", "cat_1"}, {"price", 1999}, {"currency", "USD"}, {"stock", 7}}};
}
inline Sample<ProductUpdated> sample(std::type_identity<ProductUpdated>) {
    return {{"prod_1", 3, {"name", "price"}},
            {{"product_id", "prod_1"}, {"version", 3}, {"fields", std::vector<std::string>{"name", "price"}}}};
}
inline Sample<ProductArchived> sample(std::type_identity<ProductArchived>) {
    return {{"prod_1"}, {{"product_id", "prod_1"}}};
}
inline Sample<StockAdjusted> sample(std::type_identity<StockAdjusted>) {
    return {{"prod_1", -2, 5, "damaged", "var_1"},
            {{"product_id", "prod_1"},
             {"variant_id", "var_1"},
             {"delta", -2},
             {"stock", 5},
             {"reason", json("damaged")}}};
}
inline Sample<CategoryCreated> sample(std::type_identity<CategoryCreated>) {
    return {{"cat_2", "cat_1"}, {{"category_id", "cat_2"}, {"parent_id", "cat_1"}}};
}
inline Sample<CategoryUpdated> sample(std::type_identity<CategoryUpdated>) {
    return {{"cat_2", {"name", "parent_id"}, std::nullopt},
            {{"category_id", "cat_2"}, {"fields", json::array({"name", "parent_id"})}, {"parent_id", nullptr}}};
}
inline Sample<CategoryDeleted> sample(std::type_identity<CategoryDeleted>) {
    return {{"cat_2"}, {{"category_id", "cat_2"}}};
}
inline Sample<OrderCreated> sample(std::type_identity<OrderCreated>) {
    return {
        {"ord_1", "usr_1", 2500, "USD", sample_items()},
        {{"order_id", "ord_1"}, {"user_id", "usr_1"}, {"total", 2500}, {"currency", "USD"}, {"items", legacy_items()}}};
}
inline Sample<OrderPaid> sample(std::type_identity<OrderPaid>) {
    // 2500 of lines, 500 off, 300 shipping, 200 tax on top: 2500 charged.
    return {{"ord_1", "usr_1", "pay_1", 2500, "USD", sample_items(), 2500, 500, 300, 200},
            {{"order_id", "ord_1"},
             {"user_id", "usr_1"},
             {"payment_id", "pay_1"},
             {"total", 2500},
             {"currency", "USD"},
             {"items", legacy_items()},
             {"subtotal", 2500},
             {"discount_total", 500},
             {"shipping_total", 300},
             {"tax_total", 200}}};
}
inline Sample<OrderCancelled> sample(std::type_identity<OrderCancelled>) {
    return {{"ord_1", "usr_1", "paid", 2500},
            {{"order_id", "ord_1"}, {"user_id", "usr_1"}, {"from", "paid"}, {"refunded", 2500}}};
}
inline Sample<OrderExpired> sample(std::type_identity<OrderExpired>) {
    return {{"ord_1", "usr_1"}, {{"order_id", "ord_1"}, {"user_id", "usr_1"}}};
}
inline Sample<OrderShipped> sample(std::type_identity<OrderShipped>) {
    return {{"ord_1", "usr_1"}, {{"order_id", "ord_1"}, {"user_id", "usr_1"}}};
}
inline Sample<ShipmentCreated> sample(std::type_identity<ShipmentCreated>) {
    return {{"ord_1", "usr_1", "shp_1", "UPS", "1Z999", std::nullopt, {{"prod_1", 2}, {"var_2", 1}}},
            {{"order_id", "ord_1"},
             {"user_id", "usr_1"},
             {"shipment_id", "shp_1"},
             {"carrier", "UPS"},
             {"tracking_number", "1Z999"},
             {"tracking_url", nullptr},
             {"items", json::array({{{"variant_id", "prod_1"}, {"quantity", 2}},
                                    {{"variant_id", "var_2"}, {"quantity", 1}}})}}};
}
inline Sample<OrderDelivered> sample(std::type_identity<OrderDelivered>) {
    return {{"ord_1", "usr_1"}, {{"order_id", "ord_1"}, {"user_id", "usr_1"}}};
}
inline Sample<ReturnRequested> sample(std::type_identity<ReturnRequested>) {
    return {{"ret_1", "ord_1", "usr_1", 1450, "USD", {{"prod_1", 1, 950}, {"var_2", 1, 500}}},
            {{"return_id", "ret_1"},
             {"order_id", "ord_1"},
             {"user_id", "usr_1"},
             {"refund_amount", 1450},
             {"currency", "USD"},
             {"items", json::array({{{"variant_id", "prod_1"}, {"quantity", 1}, {"refund_amount", 950}},
                                    {{"variant_id", "var_2"}, {"quantity", 1}, {"refund_amount", 500}}})}}};
}
inline Sample<ReturnReceived> sample(std::type_identity<ReturnReceived>) {
    return {{"ret_1", "ord_1", "", 950, "USD", true, {{"prod_1", 1, 950}}},
            {{"return_id", "ret_1"},
             {"order_id", "ord_1"},
             {"user_id", ""},
             {"refund_amount", 950},
             {"currency", "USD"},
             {"restocked", true},
             {"items", json::array({{{"variant_id", "prod_1"}, {"quantity", 1}, {"refund_amount", 950}}})}}};
}
inline Sample<ReturnRejected> sample(std::type_identity<ReturnRejected>) {
    return {{"ret_1", "ord_1", "usr_1"}, {{"return_id", "ret_1"}, {"order_id", "ord_1"}, {"user_id", "usr_1"}}};
}
inline Sample<PaymentSucceeded> sample(std::type_identity<PaymentSucceeded>) {
    return {
        {"pay_1", "ord_1", "usr_1", 2500, "USD"},
        {{"payment_id", "pay_1"}, {"order_id", "ord_1"}, {"user_id", "usr_1"}, {"amount", 2500}, {"currency", "USD"}}};
}
inline Sample<PaymentFailed> sample(std::type_identity<PaymentFailed>) {
    return {{"pay_1", "ord_1", "usr_1", "card_declined"},
            {{"payment_id", "pay_1"}, {"order_id", "ord_1"}, {"user_id", "usr_1"}, {"failure_code", "card_declined"}}};
}
inline Sample<PaymentProcessing> sample(std::type_identity<PaymentProcessing>) {
    return {{"pay_1", "ord_1", "usr_1"}, {{"payment_id", "pay_1"}, {"order_id", "ord_1"}, {"user_id", "usr_1"}}};
}
inline Sample<PaymentRefunded> sample(std::type_identity<PaymentRefunded>) {
    return {
        {"pay_1", "ord_1", "re_1", 1000, "USD"},
        {{"payment_id", "pay_1"}, {"order_id", "ord_1"}, {"refund_id", "re_1"}, {"amount", 1000}, {"currency", "USD"}}};
}

}  // namespace shop::test
