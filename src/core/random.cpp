#include "shop/core/random.hpp"

#include <sodium.h>

#include <cstdint>
#include <mutex>
#include <stdexcept>

#include "shop/core/time.hpp"

namespace shop::core {

namespace {
struct SodiumInit {
    SodiumInit() {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    }
};
void ensure_sodium() { static SodiumInit init; }

constexpr char kBase32[] = "0123456789abcdefghjkmnpqrstvwxyz";  // Crockford, lower-case
}  // namespace

std::string random_bytes(std::size_t n) {
    ensure_sodium();
    std::string out(n, '\0');
    randombytes_buf(out.data(), n);
    return out;
}

std::string to_hex(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
    return out;
}

std::string new_id(std::string_view prefix) {
    // Within one process ids are strictly increasing: an id made in the same millisecond as
    // the last one takes the last one's random part plus one (the ULID "monotonic" rule), so
    // "newest first" lists break ties between rows of one millisecond in creation order.
    static std::mutex mu;
    static std::uint64_t last_t = 0, last_hi = 0, last_lo = 0;
    constexpr std::uint64_t k40 = (std::uint64_t{1} << 40) - 1;
    std::uint64_t t, hi, lo;
    {
        std::string rnd = random_bytes(10);
        std::lock_guard lock(mu);
        t = static_cast<std::uint64_t>(now_ms());
        if (t <= last_t) {
            t = last_t;
            lo = (last_lo + 1) & k40;
            hi = (last_hi + (lo == 0 ? 1 : 0)) & k40;
        } else {
            hi = lo = 0;
            for (int i = 0; i < 5; ++i) hi = (hi << 8) | static_cast<unsigned char>(rnd[i]);
            for (int i = 5; i < 10; ++i) lo = (lo << 8) | static_cast<unsigned char>(rnd[i]);
            hi >>= 1;  // a spare top bit, so increments within a millisecond never wrap
        }
        last_t = t;
        last_hi = hi;
        last_lo = lo;
    }
    std::string out(prefix);
    out.push_back('_');
    // 48 bits of time as 10 base32 digits (50 bits, top two zero), most significant first.
    for (int i = 9; i >= 0; --i) out.push_back(kBase32[(t >> (i * 5)) & 31]);
    // 80 bits (random, or the last id's plus one) as 16 base32 digits.
    for (int i = 7; i >= 0; --i) out.push_back(kBase32[(hi >> (i * 5)) & 31]);
    for (int i = 7; i >= 0; --i) out.push_back(kBase32[(lo >> (i * 5)) & 31]);
    return out;
}

std::string random_token(std::size_t n) {
    std::string raw = random_bytes(n);
    ensure_sodium();
    std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return out;
}

}  // namespace shop::core
