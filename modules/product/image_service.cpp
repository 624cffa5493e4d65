#include "image_service.hpp"

#include <fmt/format.h>

#include "image_info.hpp"
#include "shop/core/digest.hpp"
#include "shop/core/error.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"
#include "shop/events/catalog_events.hpp"

namespace shop::product {

std::string media_url(std::string_view image_id) {
    return "/media/" + std::string(image_id);
}

namespace {
Error unsupported(std::string detail) {
    return Error("unsupported_media_type", std::move(detail));
}

// The product with `images` changed by `change`, written with version + 1 and its event.
template <class Change>
void change_images(db::Tx& tx, ProductRepository& products, const ProductInfo& current, Change change) {
    ProductInfo next = current;
    change(next.images);
    next.version = current.version + 1;
    next.updated_at_ms = core::now_ms();
    // The transaction holds the write lock on SQLite; on PostgreSQL a concurrent change
    // makes the conditional update miss, and the caller retries the whole request.
    if (!products.update(tx, next, current.version))
        throw Error("conflict", "the product changed while its images were being changed; try again");
    tx.emit(events::ProductUpdated{next.id, next.version, {"images"}});
}
}  // namespace

StoredImage ImageService::upload(std::string_view product_id, std::string_view declared_type, const std::string& bytes) {
    if (declared_type != "image/jpeg" && declared_type != "image/png" && declared_type != "image/webp")
        throw unsupported("send the image with Content-Type image/jpeg, image/png or image/webp");
    auto info = inspect_image(bytes);
    if (!info) throw unsupported("the body is not a JPEG, PNG or WebP image whose size can be read");
    if (info->content_type != declared_type)
        throw unsupported(fmt::format("the body is {}, not the {} its Content-Type claims", info->content_type,
                                      declared_type));
    StoredImage image;
    image.id = core::new_id("img");
    image.product_id = std::string(product_id);
    image.content_type = info->content_type;
    image.bytes = static_cast<std::int64_t>(bytes.size());
    image.width = info->width;
    image.height = info->height;
    image.etag = "\"" + core::sha256_hex(bytes) + "\"";
    db_.write([&](db::Tx& tx) {
        auto product = products_.find(tx, product_id);
        if (!product) throw Error::not_found("no product with this id");
        if (product->images.size() >= kMaxImages)
            throw Error::validation("images", fmt::format("a product lists at most {} images", kMaxImages));
        images_.insert(tx, image, bytes, core::now_ms());
        change_images(tx, products_, *product, [&](nlohmann::json& urls) { urls.push_back(media_url(image.id)); });
    });
    return image;
}

void ImageService::remove(std::string_view product_id, std::string_view image_id) {
    db_.write([&](db::Tx& tx) {
        auto image = images_.find(tx, image_id);
        if (!image || image->product_id != product_id) throw Error::not_found("the product has no such image");
        auto product = products_.find(tx, product_id);
        if (!product) throw Error::not_found("no product with this id");
        images_.remove(tx, image_id);
        const std::string url = media_url(image_id);
        change_images(tx, products_, *product, [&](nlohmann::json& urls) {
            nlohmann::json kept = nlohmann::json::array();
            for (const auto& u : urls)
                if (!(u.is_string() && u.get<std::string>() == url)) kept.push_back(u);
            urls = std::move(kept);
        });
    });
}

std::optional<MediaFile> ImageService::media(std::string_view image_id) {
    auto found = db_.read([&](db::Conn& c) { return images_.load(c, image_id); });
    if (!found) return std::nullopt;
    return MediaFile{std::move(found->first), std::move(found->second)};
}

}  // namespace shop::product
