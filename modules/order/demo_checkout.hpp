#pragma once
// What `shopd serve --demo` sets up besides the catalogue: the discount code WELCOME10
// (10 % off), so a person trying the storefront can buy with a code and no admin step
// (issue 20). No shipping zone or tax rate: with a zone every order must name a rate and
// ship to a zone's country, which would change the v1 ordering every client of a demo shop
// relies on; the README walkthrough shows an admin adding them.
#include "checkout_admin_service.hpp"

namespace shop::order {

// Adds WELCOME10 unless the shop has a discount code already (a restart, or codes an admin
// made, are left alone); false when it added none. A replica adding it at the same moment
// is taken as done.
bool seed_demo_discount(CheckoutAdminService& admin);

}  // namespace shop::order
