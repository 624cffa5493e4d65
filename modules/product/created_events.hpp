#pragma once
// product.created and category.created as built from what the module stores; shared by the
// services and the demo loader.
#include "shop/api/catalog.hpp"
#include "shop/events/catalog_events.hpp"

namespace shop::product {

inline events::ProductCreated product_created(const api::ProductInfo& p) {
    return {p.id, p.category_id, p.price, p.currency, p.stock};
}

inline events::CategoryCreated category_created(const api::CategoryInfo& c) {
    return {c.id, c.parent_id};
}

}  // namespace shop::product
