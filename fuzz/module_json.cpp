// One module's JSON request validation, through the real routes: the first input byte
// picks one of the module's body-taking routes (with the right token and the seeded ids),
// the rest is the body. Built once per module with -DSHOP_FUZZ_MODULE=<n>.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "harness.hpp"
#include "payment/webhook_signature.hpp"

namespace {

using shop::http::Method;

struct Route {
    Method method;
    const char* target;
    const char* token;  // "@admin", "@user", "@other" or "" (none)
    bool idempotent;    // send a fresh Idempotency-Key
};

#if SHOP_FUZZ_MODULE == 1  // user
const Route kRoutes[] = {
    {Method::Post, "/api/v1/users", "", false},
    {Method::Post, "/api/v1/auth/login", "", false},
    {Method::Post, "/api/v1/auth/refresh", "", false},
    {Method::Post, "/api/v1/auth/logout", "", false},
    {Method::Patch, "/api/v1/users/me", "@other", false},
    {Method::Post, "/api/v1/users/me/addresses", "@user", false},
    {Method::Patch, "/api/v1/users/{user}", "@admin", false},
};
#elif SHOP_FUZZ_MODULE == 2  // product
const Route kRoutes[] = {
    {Method::Post, "/api/v1/products", "@admin", false},
    {Method::Patch, "/api/v1/products/{product}", "@admin", false},
    {Method::Post, "/api/v1/products/{product}/stock", "@admin", false},
    {Method::Post, "/api/v1/categories", "@admin", false},
};
#elif SHOP_FUZZ_MODULE == 3  // order
const Route kRoutes[] = {
    {Method::Post, "/api/v1/orders", "@user", true},
    {Method::Post, "/api/v1/orders", "@user", false},
    {Method::Put, "/api/v1/cart/items/{product}", "@user", false},
    {Method::Post, "/api/v1/orders/{order}/cancel", "@other", false},
    {Method::Post, "/api/v1/orders/{order}/ship", "@admin", false},
    // Section 10: the quote, and the settings it reads.
    {Method::Post, "/api/v1/checkout/quote", "@user", false},
    {Method::Post, "/api/v1/shipping/zones", "@admin", false},
    {Method::Post, "/api/v1/tax/rates", "@admin", false},
    {Method::Post, "/api/v1/discounts", "@admin", false},
};
#elif SHOP_FUZZ_MODULE == 4  // payment
const Route kRoutes[] = {
    {Method::Post, "/api/v1/payments", "@user", true},
    {Method::Post, "/api/v1/payments/{payment}/refunds", "@admin", true},
    {Method::Post, "/api/v1/payments/webhook", "", false},
};
#else
#error "SHOP_FUZZ_MODULE must be 1 (user), 2 (product), 3 (order) or 4 (payment)"
#endif

constexpr std::size_t kCount = sizeof(kRoutes) / sizeof(kRoutes[0]);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const Route& r = kRoutes[data[0] % kCount];
    std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
    auto req = shop::fuzz::make(r.method, shop::fuzz::with_ids(r.target), body, r.token[0] ? r.token : "");
    if (r.idempotent) {
        static std::uint64_t n = 0;
        req.headers.emplace_back("Idempotency-Key", "fuzz-" + std::to_string(++n));
    }
    const bool webhook = std::string_view(r.target).ends_with("/webhook");
    if (webhook) {
        // A valid signature, so the body's validation is reached (invalid ones: fuzz_webhook_signature).
        auto now = static_cast<std::int64_t>(std::time(nullptr));
        req.headers.emplace_back("Shop-Signature",
                                 "t=" + std::to_string(now) + ",v1=" +
                                     shop::payment::sign_webhook("whsec_fuzz_secret_fuzz_secret_0123", now, body));
    }
    auto res = shop::fuzz::call(std::move(req));
    if (webhook && res.body.find("invalid_signature") != std::string::npos) {
        std::fprintf(stderr, "a correctly signed webhook was refused: the harness signs wrongly\n");
        std::abort();
    }
    return 0;
}
