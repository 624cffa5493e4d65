#pragma once
// Shop-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>.
// The timestamp is signed too, so an old request cannot be replayed with a new time.
#include <cstdint>
#include <string>
#include <string_view>

namespace shop::payment {

inline constexpr std::int64_t kWebhookTolerance_s = 300;

std::string sign_webhook(std::string_view secret, std::int64_t t, std::string_view body);
// True when the header carries a v1 signature of body by secret, made within the tolerance
// of now. Compares in constant time; an empty secret verifies nothing.
bool verify_webhook(std::string_view secret, std::string_view header, std::string_view body, std::int64_t now_s);

}  // namespace shop::payment
