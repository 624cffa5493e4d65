#include "product_module.hpp"

#include "catalog_file.hpp"
#include "category_service.hpp"
#include "demo_catalog.hpp"
#include "product_handlers.hpp"
#include "migrations.hpp"
#include "product_catalog.hpp"
#include "product_inventory.hpp"
#include "product_service.hpp"
#include "shop/core/log.hpp"
#include "shop/core/time.hpp"

namespace shop::product {

extern const std::string_view kOpenapi;

MediaSettings read_media_settings(core::Settings& settings) {
    MediaSettings m;
    settings.read({core::Setting::integer("media.max_image_bytes", "SHOPD_MAX_IMAGE_BYTES", 1024, 64 << 20,
                                          m.max_image_bytes),
                   core::Setting::integer("catalog.max_import_bytes", "SHOPD_MAX_IMPORT_BYTES", 1024, 256 << 20,
                                          m.max_import_bytes)});
    return m;
}

struct ProductModule::Impl {
    explicit Impl(Runtime& r)
        : rt(r),
          media(read_media_settings(*r.config.settings)),
          products(r.db, r.config.shop.currency),
          categories(r.db),
          images(r.db),
          variants(r.db, products),
          file(r.db, products),
          product_handlers(products, variants, file),
          category_handlers(categories),
          image_handlers(images) {}

    Runtime& rt;
    const MediaSettings media;
    ProductService products;
    CategoryService categories;
    ImageService images;
    VariantService variants;
    CatalogFile file;
    ProductHandlers product_handlers;
    CategoryHandlers category_handlers;
    ImageHandlers image_handlers;
    ProductCatalog catalog;
    ProductInventory inventory;
};

ProductModule::ProductModule(Runtime& rt) : impl_(std::make_unique<Impl>(rt)) {
    rt.interfaces.offer<api::Catalog>(name(), impl_->catalog);
    rt.interfaces.offer<api::Inventory>(name(), impl_->inventory);
}

Tables ProductModule::tables() const {
    return {{"categories", "products", "product_images", "product_variants", "variant_option_values"}, {}, {}};
}
ProductModule::~ProductModule() = default;

void ProductModule::migrations(db::Migrator& m) {
    add_migrations(m);
}

void ProductModule::routes(http::Routes& r) {
    using http::Auth;
    using http::Context;
    using http::RateClass;
    using http::Scope;
    const http::Policy read{Auth::Public};
    const http::Policy write{.auth = Auth::Admin, .rate = RateClass::Write, .scope = Scope::CatalogWrite};
    // A product by id, or an image's bytes, is one indexed row from a local SQLite file:
    // tens of microseconds (a 50 KB image; the 5 MiB largest, about a millisecond of copying
    // from the OS cache), less than the two thread hops to a worker and back, so it runs on
    // the loop. Over PostgreSQL the read is a network round trip that must not stall it.
    const http::Policy read_one{
        Auth::Public, RateClass::Default,
        impl_->rt.db.dialect() == db::Dialect::Sqlite ? http::RunOn::Loop : http::RunOn::Worker};
    auto* p = &impl_->product_handlers;
    auto* c = &impl_->category_handlers;
    auto* i = &impl_->image_handlers;
    // An image upload is a raw body of up to media.max_image_bytes, not server.max_body.
    const http::Policy upload{Auth::Admin, RateClass::Write, http::RunOn::Worker, impl_->media.max_image_bytes,
                              Scope::CatalogWrite};

    r.get("/api/v1/products", read, [p](Context& ctx) { return p->list(ctx); });
    // A catalogue file is larger than a JSON body: catalog.max_import_bytes, not server.max_body.
    const http::Policy import{Auth::Admin, RateClass::Write, http::RunOn::Worker, impl_->media.max_import_bytes,
                              Scope::CatalogWrite};
    const http::Policy export_all{.auth = Auth::Admin, .scope = Scope::CatalogRead};
    r.get("/api/v1/products/export", export_all, [p](Context& ctx) { return p->export_csv(ctx); });
    r.post("/api/v1/products/import", import, [p](Context& ctx) { return p->import_csv(ctx); });
    r.post("/api/v1/products", write, [p](Context& ctx) { return p->create(ctx); });
    r.get("/api/v1/products/{id}", read_one, [p](Context& ctx) { return p->get(ctx); });
    r.patch("/api/v1/products/{id}", write, [p](Context& ctx) { return p->update(ctx); });
    r.del("/api/v1/products/{id}", write, [p](Context& ctx) { return p->archive(ctx); });
    r.post("/api/v1/products/{id}/stock", write, [p](Context& ctx) { return p->adjust_stock(ctx); });
    r.post("/api/v1/products/{id}/variants", write, [p](Context& ctx) { return p->add_variant(ctx); });
    r.patch("/api/v1/products/{id}/variants/{variant_id}", write, [p](Context& ctx) { return p->update_variant(ctx); });
    r.del("/api/v1/products/{id}/variants/{variant_id}", write, [p](Context& ctx) { return p->archive_variant(ctx); });
    r.post("/api/v1/products/{id}/variants/{variant_id}/stock", write,
           [p](Context& ctx) { return p->adjust_variant_stock(ctx); });
    r.post("/api/v1/products/{id}/images", upload, [i](Context& ctx) { return i->upload(ctx); });
    r.del("/api/v1/products/{id}/images/{image_id}", write, [i](Context& ctx) { return i->remove(ctx); });
    r.get("/media/{id}", read_one, [i](Context& ctx) { return i->media(ctx); });

    r.get("/api/v1/categories", read, [c](Context& ctx) { return c->list(ctx); });
    r.post("/api/v1/categories", write, [c](Context& ctx) { return c->create(ctx); });
    r.get("/api/v1/categories/{id}", read, [c](Context& ctx) { return c->get(ctx); });
    r.patch("/api/v1/categories/{id}", write, [c](Context& ctx) { return c->update(ctx); });
    r.del("/api/v1/categories/{id}", write, [c](Context& ctx) { return c->remove(ctx); });
}

std::string_view ProductModule::openapi() const {
    return kOpenapi;
}

void ProductModule::start() {
    if (!impl_->rt.config.demo) return;
    std::int64_t started = core::now_ms();
    std::size_t n = load_demo_catalog(impl_->rt.db, impl_->rt.config.shop.currency, generate_demo_catalog());
    if (n == 0)
        log::info("demo catalogue not loaded: the catalogue already has products");
    else
        log::info("demo catalogue loaded: {} products in {} ms", n, core::now_ms() - started);
}


}  // namespace shop::product
