#pragma once
// The variant routes of a product (API.md section 9): add one, change its sku or price,
// archive it, and move its stock by hand. Every change bumps the product's version, since
// the variants are part of the product's representation.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "product_repository.hpp"
#include "product_service.hpp"
#include "variant_repository.hpp"
#include "variant_rules.hpp"
#include "shop/db/database.hpp"

namespace shop::product {

struct VariantPatch {
    std::optional<std::string> sku;
    std::optional<std::int64_t> price;
};

class VariantService {
public:
    VariantService(db::Database& db, ProductService& products) : db_(db), products_(products) {}

    // 422 when the product has no options or the combination is wrong or on sale already;
    // 409 sku_taken.
    api::VariantInfo add(std::string_view product_id, const NewVariant& in);
    api::VariantInfo update(std::string_view product_id, std::string_view variant_id, const VariantPatch& patch);
    // Archiving twice is not an error; the one variant of a product without options is
    // archived with its product (DELETE /products/{id}), not alone.
    void archive(std::string_view product_id, std::string_view variant_id);
    // The variant's new stock; 409 insufficient_stock when it would go below zero.
    api::VariantInfo adjust_stock(std::string_view product_id, std::string_view variant_id, std::int64_t delta,
                                  const std::optional<std::string>& reason);

private:
    // The product and its variant, or 404.
    std::pair<ProductInfo, api::VariantInfo> find(db::Conn& c, std::string_view product_id,
                                                  std::string_view variant_id);

    db::Database& db_;
    ProductService& products_;
    ProductRepository product_rows_;
    VariantRepository variants_;
};

}  // namespace shop::product
