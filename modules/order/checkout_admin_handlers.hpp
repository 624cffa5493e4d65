#pragma once
// HTTP <-> JSON for the admin routes of API.md section 10: shipping zones and their rates,
// tax rates, discount codes. Each handler checks the shape of every field (422
// validation_failed naming each bad one, unknown fields included), then calls the service,
// which checks what needs the stored state. Routes and policies are in order_module.cpp.
#include <string>

#include "checkout_admin_service.hpp"
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"

namespace shop::order {

// The JSON the routes answer with. Money fields carry the shop's currency beside them.
nlohmann::json rate_json(const ShippingRate& r, const std::string& currency);
nlohmann::json zone_json(const ShippingZone& z, const std::string& currency);
nlohmann::json tax_rate_json(const TaxRate& t);
nlohmann::json discount_json(const Discount& d, const std::string& currency);

class CheckoutAdminHandlers {
public:
    CheckoutAdminHandlers(CheckoutAdminService& service, std::string currency)
        : service_(service), currency_(std::move(currency)) {}

    http::Response list_zones(http::Context& ctx);
    http::Response create_zone(http::Context& ctx);
    http::Response get_zone(http::Context& ctx);
    http::Response update_zone(http::Context& ctx);
    http::Response remove_zone(http::Context& ctx);
    http::Response add_rate(http::Context& ctx);
    http::Response update_rate(http::Context& ctx);
    http::Response remove_rate(http::Context& ctx);

    http::Response list_tax_rates(http::Context& ctx);
    http::Response create_tax_rate(http::Context& ctx);
    http::Response get_tax_rate(http::Context& ctx);
    http::Response update_tax_rate(http::Context& ctx);
    http::Response remove_tax_rate(http::Context& ctx);

    http::Response list_discounts(http::Context& ctx);
    http::Response create_discount(http::Context& ctx);
    http::Response get_discount(http::Context& ctx);
    http::Response update_discount(http::Context& ctx);
    // Deactivates: 200 with the discount, now `active: false` (PATCH active: true revives it).
    http::Response remove_discount(http::Context& ctx);

private:
    CheckoutAdminService& service_;
    std::string currency_;
};

}  // namespace shop::order
