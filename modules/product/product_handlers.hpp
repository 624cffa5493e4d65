#pragma once
// HTTP <-> JSON for the catalogue routes (API.md section 4): read and check the request,
// call the service, render the contract's JSON. Policies (who may call) live with the
// route table in product_module.cpp.
#include "catalog_file.hpp"
#include "category_service.hpp"
#include "image_service.hpp"
#include "product_service.hpp"
#include "variant_service.hpp"
#include "shop/http/route.hpp"

namespace shop::product {

class ProductHandlers {
public:
    ProductHandlers(ProductService& products, VariantService& variants, CatalogFile& file)
        : products_(products), variants_(variants), file_(file) {}

    http::Response list(http::Context& ctx);
    http::Response get(http::Context& ctx);
    http::Response create(http::Context& ctx);
    http::Response update(http::Context& ctx);
    http::Response archive(http::Context& ctx);
    http::Response adjust_stock(http::Context& ctx);

    // /api/v1/products/{id}/variants...
    http::Response add_variant(http::Context& ctx);
    http::Response update_variant(http::Context& ctx);
    http::Response archive_variant(http::Context& ctx);
    http::Response adjust_variant_stock(http::Context& ctx);

    // The catalogue as CSV: GET /api/v1/products/export, POST /api/v1/products/import.
    http::Response export_csv(http::Context& ctx);
    http::Response import_csv(http::Context& ctx);

private:
    ProductService& products_;
    VariantService& variants_;
    CatalogFile& file_;
};

class CategoryHandlers {
public:
    explicit CategoryHandlers(CategoryService& categories) : categories_(categories) {}

    http::Response list(http::Context& ctx);
    http::Response create(http::Context& ctx);
    http::Response get(http::Context& ctx);
    http::Response update(http::Context& ctx);
    http::Response remove(http::Context& ctx);

private:
    CategoryService& categories_;
};

class ImageHandlers {
public:
    explicit ImageHandlers(ImageService& images) : images_(images) {}

    http::Response upload(http::Context& ctx);
    http::Response remove(http::Context& ctx);
    // GET /media/{id}: the bytes, immutable, with a strong ETag.
    http::Response media(http::Context& ctx);

private:
    ImageService& images_;
};

}  // namespace shop::product
