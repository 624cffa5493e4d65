#pragma once
// What checkout reads of the shop's pricing settings for one order: the zone of the
// address with its rates, the tax rates of its country, and the discount code.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkout_rules.hpp"
#include "shop/db/database.hpp"

namespace shop::order {

class CheckoutRepository {
public:
    bool any_zone(db::Conn& c);
    // The zone holding `country`, with its rates oldest first.
    std::optional<ShippingZone> zone_for_country(db::Conn& c, std::string_view country);
    std::vector<TaxRate> tax_rates(db::Conn& c, std::string_view country);
    // Matched case-insensitively.
    std::optional<Discount> discount_by_code(db::Conn& c, std::string_view code);
    // How many uses the discount has now, and how many `customer` holds.
    std::int64_t uses_by(db::Conn& c, const std::string& discount_id, const std::string& customer);
};

// The form codes are matched by: ASCII lower case (codes are letters, digits, - and _).
std::string code_key(std::string_view code);

}  // namespace shop::order
