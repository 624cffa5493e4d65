#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace shop::core {

// Cryptographically random bytes (libsodium).
std::string random_bytes(std::size_t n);
std::string to_hex(std::string_view bytes);
// "prod_01hx..." : a prefix, then 26 base32 characters: 48 bits of time in ms followed by
// 80 random bits, so ids from many replicas never collide and sort by creation time.
std::string new_id(std::string_view prefix);
// URL-safe random token of n random bytes (refresh tokens, secrets).
std::string random_token(std::size_t n);

}  // namespace shop::core
