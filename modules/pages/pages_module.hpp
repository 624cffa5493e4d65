#pragma once
// The pages module (API.md section 13): the storefront at /shop, a set of HTML, CSS and
// JavaScript files compiled into the binary. It owns no tables and needs no interface: the
// pages hold no data and use only the public API, from the browser, like any client.
#include "shop/module.hpp"
#include "storefront.hpp"

namespace shop::pages {

class PagesModule final : public Module {
public:
    explicit PagesModule(Runtime& rt);

    std::string_view name() const override { return "pages"; }
    void routes(http::Routes& r) override;
    std::string_view openapi() const override;

    // The client-side routes with no id in them: /shop/cart, /shop/checkout, ...
    static bool is_page(std::string_view name);

private:
    http::StaticFiles storefront_;
};

}  // namespace shop::pages
