#pragma once
// All SQL of the product_images table: uploaded images, bytes included, so that every
// replica, backup and `shopd copy` has them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shop/db/database.hpp"

namespace shop::product {

struct StoredImage {
    std::string id;
    std::string product_id;
    std::string content_type;
    std::int64_t bytes = 0;
    int width = 0;
    int height = 0;
    std::string etag;  // the strong ETag, quotes included: "<sha-256 of the bytes>"
};

class ImageRepository {
public:
    void insert(db::Tx& tx, const StoredImage& image, const std::string& data, std::int64_t now_ms);
    std::optional<StoredImage> find(db::Conn& c, std::string_view id);
    // The image with its bytes.
    std::optional<std::pair<StoredImage, std::string>> load(db::Conn& c, std::string_view id);
    std::int64_t count_for(db::Conn& c, std::string_view product_id);
    void remove(db::Tx& tx, std::string_view id);
};

}  // namespace shop::product
