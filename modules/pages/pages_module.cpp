#include "pages_module.hpp"

#include <array>

#include "shop/core/error.hpp"

namespace shop::pages {

extern const std::string_view kOpenapi;

PagesModule::PagesModule(Runtime& rt) : storefront_(storefront()) { (void)rt; }

bool PagesModule::is_page(std::string_view name) {
    static constexpr std::array<std::string_view, 8> kPages = {
        "cart", "checkout", "search", "signin", "register", "account", "forgot-password", "reset-password"};
    for (auto p : kPages)
        if (p == name) return true;
    return false;
}

void PagesModule::routes(http::Routes& r) {
    using http::Context;
    // Files in memory: answered on the event loop, from the general rate-limit bucket.
    const http::Policy page{http::Auth::Public, http::RateClass::Default, http::RunOn::Loop};
    const http::StaticFiles* s = &storefront_;
    auto shell = [s](Context& ctx) { return s->page(ctx.request()); };
    r.get("/shop", page, shell);
    r.get("/shop/{page}", page, [s](Context& ctx) {
        if (!is_page(ctx.param("page"))) throw Error::not_found("no such storefront page");
        return s->page(ctx.request());
    });
    // Deep links whose id the page itself looks up through the API.
    r.get("/shop/products/{id}", page, shell);
    r.get("/shop/categories/{id}", page, shell);
    r.get("/shop/orders/{id}", page, shell);
    r.get("/shop/assets/{file}", page, [s](Context& ctx) { return s->asset(ctx.param("file"), ctx.request()); });
}

std::string_view PagesModule::openapi() const { return kOpenapi; }

}  // namespace shop::pages
