#pragma once
// The product module: catalogue, categories, stock, the demo catalogue (API.md section 4),
// and the Catalog and Inventory interfaces other modules use.
#include <cstdint>
#include <memory>

#include "shop/api/catalog.hpp"
#include "shop/api/inventory.hpp"
#include "shop/module.hpp"

namespace shop::product {

// The product module's settings: the `media` and `catalog` sections.
struct MediaSettings {
    std::int64_t max_image_bytes = 5 << 20;    // an image upload's body; SHOPD_MAX_IMAGE_BYTES
    std::int64_t max_import_bytes = 8 << 20;   // a CSV import's body; SHOPD_MAX_IMPORT_BYTES
};
// ConfigError for a bad value.
MediaSettings read_media_settings(core::Settings& settings);

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
