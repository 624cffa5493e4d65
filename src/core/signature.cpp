#include "shop/core/signature.hpp"

#include <sodium.h>

#include <charconv>

namespace shop::core {

namespace {
std::string hmac_hex(std::string_view secret, std::string_view message) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return hex;
}
}  // namespace

std::string sign_hmac(std::string_view secret, std::int64_t t, std::string_view body) {
    std::string message = std::to_string(t);
    message.push_back('.');
    message.append(body);
    return hmac_hex(secret, message);
}

std::string signature_header(std::string_view secret, std::int64_t t, std::string_view body) {
    return "t=" + std::to_string(t) + ",v1=" + sign_hmac(secret, t, body);
}

bool verify_signature(std::string_view secret, std::string_view header, std::string_view body, std::int64_t now_s) {
    if (secret.empty() || header.size() > 1024) return false;
    std::int64_t t = -1;
    bool have_t = false;
    std::string_view candidates = header;
    bool matched = false;
    // First pass: the timestamp (the signature covers it).
    while (!candidates.empty()) {
        auto comma = candidates.find(',');
        std::string_view part = candidates.substr(0, comma);
        candidates = comma == std::string_view::npos ? std::string_view{} : candidates.substr(comma + 1);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (part.starts_with("t=")) {
            auto v = part.substr(2);
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), t);
            have_t = ec == std::errc{} && p == v.data() + v.size() && t >= 0;
        }
    }
    if (!have_t) return false;
    if (t > now_s + kSignatureTolerance_s || t < now_s - kSignatureTolerance_s) return false;
    std::string expected = sign_hmac(secret, t, body);
    // Second pass: any v1 entry may match (providers send several while rotating secrets).
    candidates = header;
    while (!candidates.empty()) {
        auto comma = candidates.find(',');
        std::string_view part = candidates.substr(0, comma);
        candidates = comma == std::string_view::npos ? std::string_view{} : candidates.substr(comma + 1);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (!part.starts_with("v1=")) continue;
        auto sig = part.substr(3);
        if (sig.size() == expected.size() && sodium_memcmp(sig.data(), expected.data(), expected.size()) == 0)
            matched = true;
    }
    return matched;
}

}  // namespace shop::core
