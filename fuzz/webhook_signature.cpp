// The Shop-Signature header: any header/body pair verifies or not without a crash; only a
// signature made with the secret over this body, within the tolerance, verifies.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "payment/webhook_signature.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string kSecret = "whsec_0123456789abcdef0123456789";
    constexpr std::int64_t kNow = 1'800'000'000;
    std::string_view in(reinterpret_cast<const char*>(data), size);
    // header \n body
    auto nl = in.find('\n');
    std::string_view header = in.substr(0, nl);
    std::string_view body = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);

    bool ok = shop::payment::verify_webhook(kSecret, header, body, kNow);
    if (ok && header.find("v1=") == std::string_view::npos) std::abort();
    if (shop::payment::verify_webhook("", header, body, kNow)) std::abort();  // an empty secret verifies nothing

    std::string good = "t=" + std::to_string(kNow) + ",v1=" + shop::payment::sign_webhook(kSecret, kNow, body);
    if (!shop::payment::verify_webhook(kSecret, good, body, kNow)) std::abort();
    if (shop::payment::verify_webhook(kSecret, good, std::string(body) + "x", kNow)) std::abort();
    if (shop::payment::verify_webhook(kSecret, good, body, kNow + shop::payment::kWebhookTolerance_s + 1)) std::abort();
    if (shop::payment::verify_webhook("another-secret-another-secret-00", good, body, kNow)) std::abort();
    return 0;
}
