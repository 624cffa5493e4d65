#pragma once
// The provider's webhooks are signed in the core's Shop-Signature scheme (shop/core/signature.hpp).
#include <cstdint>
#include <string>
#include <string_view>

#include "shop/core/signature.hpp"

namespace shop::payment {

inline constexpr std::int64_t kWebhookTolerance_s = core::kSignatureTolerance_s;

inline std::string sign_webhook(std::string_view secret, std::int64_t t, std::string_view body) {
    return core::sign_hmac(secret, t, body);
}
inline bool verify_webhook(std::string_view secret, std::string_view header, std::string_view body,
                           std::int64_t now_s) {
    return core::verify_signature(secret, header, body, now_s);
}

}  // namespace shop::payment
