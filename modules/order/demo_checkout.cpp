#include "demo_checkout.hpp"

#include "shop/core/error.hpp"

namespace shop::order {

namespace {

// Runs `make` unless another process made the same thing first.
template <class F>
bool made(F&& make) {
    try {
        make();
        return true;
    } catch (const Error& e) {
        if (e.code() != "country_in_another_zone" && e.code() != "tax_rate_exists" && e.code() != "code_taken") throw;
        return false;
    }
}

}  // namespace

DemoCheckoutSeeded seed_demo_checkout(CheckoutAdminService& admin) {
    DemoCheckoutSeeded out;
    if (admin.list_zones(std::nullopt, 1).empty()) {
        out.zone = made([&] {
            ShippingZone zone;
            zone.name = "United States";
            zone.countries = {"US"};
            zone = admin.create_zone(zone);
            ShippingRate standard;
            standard.name = "Standard";
            standard.price = 500;
            standard.free_over = 10000;
            admin.add_rate(zone.id, standard);
            ShippingRate express;
            express.name = "Express";
            express.price = 1500;
            admin.add_rate(zone.id, express);
        });
    }
    if (admin.list_tax_rates(std::nullopt, 1).empty()) {
        out.tax = made([&] {
            TaxRate tax;
            tax.country = "US";
            tax.region = "US-CA";
            tax.name = "CA sales tax";
            tax.rate_bp = 725;
            tax.shipping_taxable = false;
            admin.create_tax_rate(tax);
        });
    }
    if (admin.list_discounts(std::nullopt, 1).empty()) {
        out.discount = made([&] {
            Discount welcome;
            welcome.code = "WELCOME10";
            welcome.type = DiscountType::Percentage;
            welcome.value = 10;
            admin.create_discount(welcome);
        });
    }
    return out;
}

}  // namespace shop::order
