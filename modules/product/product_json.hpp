#pragma once
// The contract's JSON shapes (API.md sections 4 and 9), in one place so the handlers and the
// Catalog interface render a product the same way.
#include <nlohmann/json.hpp>

#include "shop/api/catalog.hpp"

namespace shop::product {

nlohmann::json product_json(const api::ProductInfo& p);
// {id, sku, options, price, stock, status} (section 9).
nlohmann::json variant_json(const api::VariantInfo& v);
// product_json(p) serialised as Response::json would, byte for byte, written directly:
// building the nlohmann tree and dumping it was a fifth of a GET /products/{id}.
std::string product_body(const api::ProductInfo& p);
nlohmann::json category_json(const api::CategoryInfo& c);

}  // namespace shop::product
