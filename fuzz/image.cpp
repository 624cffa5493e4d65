// Image headers (product uploads): any bytes are an image of a known type and a positive
// size, or no image; never a read past the end (ASan) or a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "product/image_info.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (auto info = shop::product::inspect_image(bytes)) {
        if (info->width < 1 || info->height < 1) std::abort();
        if (info->content_type != "image/jpeg" && info->content_type != "image/png" &&
            info->content_type != "image/webp")
            std::abort();
    }
    return 0;
}
