#pragma once
// SHA-256 (libsodium) as lowercase hex: idempotency fingerprints, image ETags.
#include <string>
#include <string_view>

namespace shop::core {

std::string sha256_hex(std::string_view bytes);
// Equal strings, compared in time that depends only on their length: for digests of
// secrets (order tokens), so no answer's timing tells how much of one matched.
bool digest_equal(std::string_view a, std::string_view b);

}  // namespace shop::core
