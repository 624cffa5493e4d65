#pragma once
// What `shopd serve --demo` sets up besides the catalogue, so the README's walkthrough
// (buy a T-shirt with a discount code, shipping and tax shown) works with no admin step:
// a US shipping zone with a Standard rate (free over 100.00) and an Express one, California
// sales tax, and the code WELCOME10 (10 % off). Made through CheckoutAdminService, as an
// admin's requests would be.
#include "checkout_admin_service.hpp"

namespace shop::order {

struct DemoCheckoutSeeded {
    bool zone = false;
    bool tax = false;
    bool discount = false;
};

// Each of the three only where the shop has none of its kind yet (a restart, or settings an
// admin made, are left alone). A conflict with a replica seeding at the same moment is
// taken as done.
DemoCheckoutSeeded seed_demo_checkout(CheckoutAdminService& admin);

}  // namespace shop::order
