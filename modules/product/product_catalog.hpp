#pragma once
// api::Catalog over the product module's tables, read through the caller's connection.
#include "category_repository.hpp"
#include "product_repository.hpp"
#include "shop/api/catalog.hpp"

namespace shop::product {

class ProductCatalog final : public api::Catalog {
public:
    std::optional<api::ProductInfo> product(db::Conn& c, std::string_view id) override;
    std::vector<api::ProductInfo> products(db::Conn& c, const std::vector<std::string>& ids) override;
    std::vector<std::optional<api::Item>> items(db::Conn& c, const std::vector<std::string>& ids) override;
    std::vector<api::CategoryInfo> categories(db::Conn& c) override;
    std::vector<std::string> category_subtree(db::Conn& c, std::string_view category_id) override;
    nlohmann::json to_json(const api::ProductInfo& p) const override;

private:
    ProductRepository products_;
    VariantRepository variants_;
    CategoryRepository categories_;
};

}  // namespace shop::product
