#include "shop/events/catalog_events.hpp"

#include "events/json_fields.hpp"

namespace shop::events {

using nlohmann::json;
using namespace fields;

void to_json(json& j, const ProductCreated& e) {
    j = {{"product_id", e.product_id},
         {"category_id", nullable(e.category_id)},
         {"price", e.price},
         {"currency", e.currency},
         {"stock", e.stock}};
}
void from_json(const json& j, ProductCreated& e) {
    e.product_id = text(j, "product_id");
    e.category_id = nullable_text(j, "category_id");
    e.price = integer(j, "price");
    e.currency = text(j, "currency");
    e.stock = integer(j, "stock");
}

void to_json(json& j, const ProductUpdated& e) {
    j = {{"product_id", e.product_id}, {"version", e.version}, {"fields", e.fields}};
}
void from_json(const json& j, ProductUpdated& e) {
    e.product_id = text(j, "product_id");
    e.version = integer(j, "version");
    e.fields = texts(j, "fields");
}

void to_json(json& j, const ProductArchived& e) {
    j = {{"product_id", e.product_id}};
}
void from_json(const json& j, ProductArchived& e) {
    e.product_id = text(j, "product_id");
}

void to_json(json& j, const StockAdjusted& e) {
    j = {{"product_id", e.product_id},
         {"variant_id", e.variant_id},
         {"delta", e.delta},
         {"stock", e.stock},
         {"reason", nullable(e.reason)}};
}
void from_json(const json& j, StockAdjusted& e) {
    e.product_id = text(j, "product_id");
    e.delta = integer(j, "delta");
    e.stock = integer(j, "stock");
    e.reason = nullable_text(j, "reason");
    e.variant_id = j.contains("variant_id") ? text(j, "variant_id") : e.product_id;
}

void to_json(json& j, const CategoryCreated& e) {
    j = {{"category_id", e.category_id}, {"parent_id", nullable(e.parent_id)}};
}
void from_json(const json& j, CategoryCreated& e) {
    e.category_id = text(j, "category_id");
    e.parent_id = nullable_text(j, "parent_id");
}

void to_json(json& j, const CategoryUpdated& e) {
    j = {{"category_id", e.category_id}, {"fields", e.fields}, {"parent_id", nullable(e.parent_id)}};
}
void from_json(const json& j, CategoryUpdated& e) {
    e.category_id = text(j, "category_id");
    e.fields = texts(j, "fields");
    e.parent_id = nullable_text(j, "parent_id");
}

void to_json(json& j, const CategoryDeleted& e) {
    j = {{"category_id", e.category_id}};
}
void from_json(const json& j, CategoryDeleted& e) {
    e.category_id = text(j, "category_id");
}

}  // namespace shop::events
