#pragma once
// Shop-Signature (API.md section 6): t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>.
// The timestamp is signed too, so an old request cannot be replayed with a new time. The
// payment provider's inbound webhooks are verified with it and outbound webhooks are signed
// with it, each with its own secret.
#include <cstdint>
#include <string>
#include <string_view>

namespace shop::core {

// How far a signature's time may be from the verifier's clock, either way.
inline constexpr std::int64_t kSignatureTolerance_s = 300;

// The hex HMAC of "<t>.<body>".
std::string sign_hmac(std::string_view secret, std::int64_t t, std::string_view body);
// The whole header value: "t=<t>,v1=<hex>".
std::string signature_header(std::string_view secret, std::int64_t t, std::string_view body);
// True when the header carries a v1 signature of body by secret, made within the tolerance
// of now. Compares in constant time; an empty secret verifies nothing.
bool verify_signature(std::string_view secret, std::string_view header, std::string_view body, std::int64_t now_s);

}  // namespace shop::core
