#pragma once
// The product module: catalogue, categories, stock, the demo catalogue (API.md section 4),
// and the Catalog and Inventory interfaces other modules use.
#include <memory>

#include "shop/api/catalog.hpp"
#include "shop/api/inventory.hpp"
#include "shop/module.hpp"

namespace shop::product {

class ProductModule final : public Module {
public:
    // Offers catalog and inventory.
    explicit ProductModule(Runtime& rt);
    ~ProductModule() override;

    std::string_view name() const override { return "product"; }
    void migrations(db::Migrator& m) override;
    Tables tables() const override;
    void routes(http::Routes& r) override;
    std::string_view openapi() const override;
    void start() override;


private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace shop::product
