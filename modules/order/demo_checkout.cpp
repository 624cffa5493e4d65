#include "demo_checkout.hpp"

#include "shop/core/error.hpp"

namespace shop::order {

bool seed_demo_discount(CheckoutAdminService& admin) {
    if (!admin.list_discounts(std::nullopt, 1).empty()) return false;
    Discount welcome;
    welcome.code = "WELCOME10";
    welcome.type = DiscountType::Percentage;
    welcome.value = 10;
    try {
        admin.create_discount(welcome);
        return true;
    } catch (const Error& e) {
        if (e.code() != "code_taken") throw;
        return false;
    }
}

}  // namespace shop::order
