// The search and analytics modules' query-string validation (search, suggest, analytics,
// events) through the real routes: the first byte picks the route, the rest is the raw
// query string.
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const char* const kPaths[] = {"/api/v1/search",         "/api/v1/search/suggest",
                                         "/api/v1/analytics/sales", "/api/v1/analytics/top-products",
                                         "/api/v1/analytics/summary", "/api/v1/events",
                                         "/api/v1/products",        "/api/v1/orders"};
    if (size < 1) return 0;
    std::string path = kPaths[data[0] % (sizeof(kPaths) / sizeof(kPaths[0]))];
    std::string qs(reinterpret_cast<const char*>(data + 1), size - 1);
    auto req = shop::fuzz::make(shop::http::Method::Get, path, {}, "@admin");
    req.target = path + "?" + qs;
    req.query_string = qs;
    shop::fuzz::call(std::move(req));
    return 0;
}
