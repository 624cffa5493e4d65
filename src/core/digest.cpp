#include "shop/core/digest.hpp"

#include <sodium.h>

#include "shop/core/random.hpp"

namespace shop::core {

std::string sha256_hex(std::string_view bytes) {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    return to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

bool digest_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace shop::core
