#pragma once
// Product images (API.md section 9): uploads checked from their bytes, kept in the
// database, listed in the product's `images` as /media/{id}, served with a strong ETag.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "image_repository.hpp"
#include "product_repository.hpp"
#include "shop/db/database.hpp"

namespace shop::product {

// A product lists at most this many images, uploaded or linked.
inline constexpr std::size_t kMaxImages = 20;

// The url an uploaded image is listed and served under.
std::string media_url(std::string_view image_id);

struct MediaFile {
    StoredImage image;
    std::string data;
};

class ImageService {
public:
    explicit ImageService(db::Database& db) : db_(db) {}

    // 415 unsupported_media_type unless the bytes are a JPEG, PNG or WebP image of the type
    // declared; 404 for an unknown product; 422 naming images when it already lists
    // kMaxImages. Appends the url to the product's images (version + 1, product.updated).
    StoredImage upload(std::string_view product_id, std::string_view declared_type, const std::string& bytes);
    // Removes the image and its url from the product (version + 1, product.updated); 404
    // when the product has no such image.
    void remove(std::string_view product_id, std::string_view image_id);
    std::optional<MediaFile> media(std::string_view image_id);

private:
    db::Database& db_;
    ImageRepository images_;
    ProductRepository products_;
};

}  // namespace shop::product
