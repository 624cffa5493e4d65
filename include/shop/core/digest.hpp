#pragma once
// SHA-256 (libsodium) as lowercase hex: idempotency fingerprints, image ETags.
#include <string>
#include <string_view>

namespace shop::core {

std::string sha256_hex(std::string_view bytes);

}  // namespace shop::core
