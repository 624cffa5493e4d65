#include <algorithm>
#include <map>

#include "category_repository.hpp"
#include "created_events.hpp"
#include "demo_catalog.hpp"
#include "demo_images.hpp"
#include "image_info.hpp"
#include "image_repository.hpp"
#include "image_service.hpp"
#include "shop/core/digest.hpp"
#include "product_repository.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"

namespace shop::product {

std::size_t load_demo_catalog(db::Database& db, const std::string& currency, const DemoCatalog& catalog) {
    ProductRepository products;
    VariantRepository variants;
    CategoryRepository categories;
    ImageRepository images;
    // The first kImagedPerCategory products of each category show its generated image
    // (uploaded like any other, served from /media); the rest keep placeholder URLs.
    constexpr int kImagedPerCategory = 2;
    std::map<std::string, std::pair<std::string, ImageInfo>> drawn;  // category key -> png, its header
    std::map<std::string, int> imaged;
    // One transaction: one fsync for the whole catalogue, and replicas started together
    // with --demo cannot both load it (the emptiness check runs under the write lock).
    return db.write([&](db::Tx& tx) -> std::size_t {
        if (products.any(tx)) return 0;
        const std::int64_t now = core::now_ms();
        std::int64_t oldest = 0;
        for (const auto& p : catalog.products) oldest = std::max(oldest, p.age_ms);

        std::map<std::string, std::string> category_ids;
        for (const auto& c : catalog.categories) {
            api::CategoryInfo info{core::new_id("cat"), c.name, std::nullopt};
            if (c.parent_key) info.parent_id = category_ids.at(*c.parent_key);
            categories.insert(tx, info, now - oldest - 1);
            category_ids[c.key] = info.id;
            tx.emit(category_created(info));
        }
        for (const auto& d : catalog.products) {
            api::ProductInfo p;
            p.id = core::new_id("prod");
            p.sku = d.sku;
            p.name = d.name;
            p.description = d.description;
            p.price = d.price;
            p.currency = currency;
            p.stock = d.stock;
            p.category_id = category_ids.at(d.category_key);
            p.attributes = d.attributes;
            p.images = d.images;
            p.status = "active";
            p.version = 1;
            p.created_at_ms = p.updated_at_ms = now - d.age_ms;
            p.options = d.options;
            if (d.options.empty())
                p.variants.push_back({p.id, p.id, d.sku, nlohmann::json::object(), d.price, d.stock, "active"});
            for (const auto& v : d.variants)
                p.variants.push_back({core::new_id("var"), p.id, v.sku, v.options, v.price, v.stock, "active"});
            p.price = p.price_max = p.variants.front().price;
            p.stock = 0;
            for (const auto& v : p.variants) {
                p.price = std::min(p.price, v.price);
                p.price_max = std::max(p.price_max, v.price);
                p.stock += v.stock;
            }
            std::optional<StoredImage> image;
            if (imaged[d.category_key]++ < kImagedPerCategory) {
                auto& [png, info] = drawn[d.category_key];
                if (png.empty()) {
                    png = demo_image_png(d.category_key);
                    info = *inspect_image(png);
                }
                image = StoredImage{core::new_id("img"), p.id, info.content_type, static_cast<std::int64_t>(png.size()),
                                    info.width, info.height, "\"" + core::sha256_hex(png) + "\""};
                p.images = nlohmann::json::array({media_url(image->id)});
            }
            products.insert(tx, p);
            for (const auto& v : p.variants) variants.insert(tx, v, p.created_at_ms);
            if (image) images.insert(tx, *image, drawn[d.category_key].first, p.created_at_ms);
            tx.emit(product_created(p));
        }
        return catalog.products.size();
    });
}

}  // namespace shop::product
