#include "image_repository.hpp"

namespace shop::product {

namespace {
constexpr const char* kColumns = "id, product_id, content_type, bytes, width, height, etag";

StoredImage from_row(const db::Row& r) {
    return {r.str(0), r.str(1), r.str(2), r.i64(3), static_cast<int>(r.i64(4)), static_cast<int>(r.i64(5)), r.str(6)};
}
}  // namespace

void ImageRepository::insert(db::Tx& tx, const StoredImage& i, const std::string& data, std::int64_t now_ms) {
    tx.exec("INSERT INTO product_images (id, product_id, content_type, bytes, width, height, etag, data, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            i.id, i.product_id, i.content_type, i.bytes, i.width, i.height, i.etag, db::Blob{data}, now_ms);
}

std::optional<StoredImage> ImageRepository::find(db::Conn& c, std::string_view id) {
    auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM product_images WHERE id = ?", id);
    if (!row) return std::nullopt;
    return from_row(*row);
}

std::optional<std::pair<StoredImage, std::string>> ImageRepository::load(db::Conn& c, std::string_view id) {
    auto row = c.query_one(std::string("SELECT ") + kColumns + ", data FROM product_images WHERE id = ?", id);
    if (!row) return std::nullopt;
    return std::make_pair(from_row(*row), row->blob(7));
}

std::int64_t ImageRepository::count_for(db::Conn& c, std::string_view product_id) {
    return c.query_one("SELECT COUNT(*) FROM product_images WHERE product_id = ?", product_id)->i64(0);
}

void ImageRepository::remove(db::Tx& tx, std::string_view id) {
    tx.exec("DELETE FROM product_images WHERE id = ?", id);
}

}  // namespace shop::product
