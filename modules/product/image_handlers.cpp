#include "conditional.hpp"
#include "product_handlers.hpp"
#include "shop/core/error.hpp"

namespace shop::product {

namespace {
// "image/PNG; charset=x" -> "image/png": the media type alone, compared case-blind.
std::string media_type_of(std::string_view header) {
    std::string_view v = header.substr(0, header.find(';'));
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    std::string out;
    for (char c : v) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    return out;
}

constexpr const char* kImmutable = "public, max-age=31536000, immutable";
}  // namespace

http::Response ImageHandlers::upload(http::Context& ctx) {
    const auto& req = ctx.request();
    auto type = req.header("Content-Type");
    StoredImage image = images_.upload(ctx.param("id"), media_type_of(type.value_or("")), req.body);
    http::Response r = http::Response::json(201, {{"id", image.id},
                                                 {"url", media_url(image.id)},
                                                 {"content_type", image.content_type},
                                                 {"bytes", image.bytes},
                                                 {"width", image.width},
                                                 {"height", image.height}});
    r.set_header("Location", media_url(image.id));
    return r;
}

http::Response ImageHandlers::remove(http::Context& ctx) {
    images_.remove(ctx.param("id"), ctx.param("image_id"));
    return http::Response::no_content();
}

http::Response ImageHandlers::media(http::Context& ctx) {
    auto file = images_.media(ctx.param("id"));
    if (!file) throw Error::not_found("no such image");
    const std::string& etag = file->image.etag;
    if (auto inm = ctx.request().header("If-None-Match");
        inm && none_match_hits(*inm, std::string_view(etag).substr(1, etag.size() - 2))) {
        http::Response r;
        r.status = 304;
        r.set_header("ETag", etag);
        r.set_header("Cache-Control", kImmutable);
        return r;
    }
    http::Response r = http::Response::text(200, std::move(file->data), file->image.content_type);
    r.set_header("ETag", etag);
    r.set_header("Cache-Control", kImmutable);
    // The type was checked from the bytes at upload; a browser must not guess another.
    r.set_header("X-Content-Type-Options", "nosniff");
    return r;
}

}  // namespace shop::product
