#include <catch2/catch.hpp>

#include "image_samples.hpp"
#include "problem.hpp"
#include "product/image_info.hpp"
#include "product/image_service.hpp"
#include "product_fixture.hpp"
#include "shop/core/error.hpp"

using namespace shop;
using product::inspect_image;

TEST_CASE("the type and size of an image come from its bytes") {
    struct Case {
        std::string bytes;
        const char* type;
        int w, h;
    };
    for (const auto& c : {Case{test::png_bytes(640, 480), "image/png", 640, 480},
                          Case{test::jpeg_bytes(1024, 768), "image/jpeg", 1024, 768},
                          Case{test::jpeg_bytes(3, 2, 0xC2), "image/jpeg", 3, 2},  // progressive
                          Case{test::webp_lossy_bytes(300, 200), "image/webp", 300, 200},
                          Case{test::webp_lossless_bytes(16383, 1), "image/webp", 16383, 1},
                          Case{test::webp_extended_bytes(5000, 4000), "image/webp", 5000, 4000}}) {
        auto info = inspect_image(c.bytes);
        REQUIRE(info);
        CHECK(info->content_type == c.type);
        CHECK(info->width == c.w);
        CHECK(info->height == c.h);
    }
}

TEST_CASE("anything else, or an image cut short, is no image") {
    const std::string png = test::png_bytes(10, 10);
    const std::string jpeg = test::jpeg_bytes(10, 10);
    const std::string webp = test::webp_lossy_bytes(10, 10);
    for (const std::string& bad : {std::string(), std::string("GIF89a\x01\x00\x01\x00", 10), std::string("{\"a\":1}"),
                                   png.substr(0, 20), jpeg.substr(0, 22), webp.substr(0, 27),
                                   test::png_bytes(0, 10), test::jpeg_bytes(10, 0), std::string("\xFF\xD8\xFF\xDA", 4),
                                   std::string("RIFF\0\0\0\0WAVEfmt ", 16)}) {
        CHECK_FALSE(inspect_image(bad));
    }
    // Every prefix of a good image is refused or read; none is read out of bounds (ASan).
    for (const std::string* img : {&png, &jpeg, &webp})
        for (std::size_t n = 0; n < img->size(); ++n) (void)inspect_image(img->substr(0, n));
}

using test::code_of;

TEST_CASE("an upload is stored, listed on the product and served back byte for byte") {
    test::ProductFixture f;
    product::ImageService images(f.t.db());
    auto p = f.make("Lamp", 1000);
    const std::string bytes = test::png_bytes(64, 32);
    auto img = images.upload(p.id, "image/png", bytes);
    CHECK(img.id.rfind("img_", 0) == 0);
    CHECK((img.width == 64 && img.height == 32 && img.bytes == static_cast<std::int64_t>(bytes.size())));
    auto after = f.products.find(p.id);
    CHECK(after->version == p.version + 1);
    CHECK(after->images == nlohmann::json::array({product::media_url(img.id)}));
    auto file = images.media(img.id);
    REQUIRE(file);
    CHECK(file->data == bytes);
    CHECK(file->image.content_type == "image/png");
    CHECK(file->image.etag.size() == 66);  // "<64 hex digits>"
    auto updated = f.events_of("product.updated");
    REQUIRE(updated.size() == 1);
    CHECK(updated[0].second["fields"] == nlohmann::json::array({"images"}));

    images.remove(p.id, img.id);
    CHECK(f.products.find(p.id)->images.empty());
    CHECK_FALSE(images.media(img.id));
    CHECK(code_of([&] { images.remove(p.id, img.id); }) == "not_found");
}

TEST_CASE("an upload that is not what it claims, or one too many, changes nothing") {
    test::ProductFixture f;
    product::ImageService images(f.t.db());
    auto p = f.make("Lamp", 1000);
    CHECK(code_of([&] { images.upload(p.id, "image/jpeg", test::png_bytes(1, 1)); }) == "unsupported_media_type");
    CHECK(code_of([&] { images.upload(p.id, "image/gif", "GIF89a"); }) == "unsupported_media_type");
    CHECK(code_of([&] { images.upload(p.id, "image/png", "not an image"); }) == "unsupported_media_type");
    CHECK(code_of([&] { images.upload("prod_missing", "image/png", test::png_bytes(1, 1)); }) == "not_found");
    CHECK(f.products.find(p.id)->version == p.version);
    for (std::size_t i = 0; i < product::kMaxImages; ++i) images.upload(p.id, "image/webp", test::webp_lossy_bytes(2, 2));
    CHECK(code_of([&] { images.upload(p.id, "image/png", test::png_bytes(1, 1)); }) == "validation_failed");
    CHECK(f.products.find(p.id)->images.size() == product::kMaxImages);
    auto other = f.make("Other", 10);
    auto img = images.upload(other.id, "image/png", test::png_bytes(1, 1));
    CHECK(code_of([&] { images.remove(p.id, img.id); }) == "not_found");  // another product's image
}
