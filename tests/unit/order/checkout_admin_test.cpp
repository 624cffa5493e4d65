#include <catch2/catch.hpp>

#include "fakes.hpp"
#include "order/checkout_admin_service.hpp"
#include "shop/core/iso3166.hpp"
#include "order/order_module.hpp"
#include "order/pricing.hpp"
#include "problem.hpp"
#include "shop/core/error.hpp"
#include "shop/db/errors.hpp"

using namespace shop;
using order::Discount;
using order::DiscountType;
using order::ShippingRate;
using order::ShippingZone;
using order::TaxRate;

namespace {
// The order module's real tables on a real database; the catalogue is a fake.
struct World {
    test::TestDb t{test::fake_stock_migration()};
    test::NoScheduler sched;
    core::Idempotency idem{t.db()};
    Interfaces ifs;
    Runtime rt{t.config(), t.db(), t.bus(), t.metrics(), sched, idem, ifs};
    test::FakeCatalog catalog;
    test::FakeInventory inventory;
    test::FakeUsers users;
    bool ready = offer();
    order::OrderModule module{rt};
    order::CheckoutAdminService admin{t.db(), catalog};
    order::ShippingRepository shipping;
    order::TaxRepository taxes;
    order::DiscountRepository discounts;

    World() {
        db::Migrator m;
        module.migrations(m);
        t.db().migrate(m.migrations());
        catalog.add("p1", 1000);
        catalog.category("cat_books", "Books");
    }
    bool offer() {
        ifs.offer<api::Catalog>("test", catalog);
        ifs.offer<api::Inventory>("test", inventory);
        ifs.offer<api::Users>("test", users);
        return true;
    }

    ShippingZone zone(std::string name, std::vector<std::string> countries) {
        ShippingZone z;
        z.name = std::move(name);
        z.countries = std::move(countries);
        return admin.create_zone(z);
    }
    ShippingRate rate(const std::string& zone_id, std::string name, std::int64_t price) {
        ShippingRate r;
        r.name = std::move(name);
        r.price = price;
        return admin.add_rate(zone_id, r);
    }
    TaxRate tax(std::string country, std::string region, std::int64_t bp) {
        TaxRate t;
        t.country = std::move(country);
        t.region = std::move(region);
        t.name = "tax";
        t.rate_bp = bp;
        return admin.create_tax_rate(t);
    }
    Discount discount(std::string code, DiscountType type = DiscountType::Percentage, std::int64_t value = 10) {
        Discount d;
        d.code = std::move(code);
        d.type = type;
        d.value = value;
        return admin.create_discount(d);
    }
    template <class F>
    auto read(F f) {
        return t.db().read(f);
    }
};

std::optional<Error> error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e;
    }
    return std::nullopt;
}
}  // namespace

TEST_CASE("country codes are the official ISO 3166-1 alpha-2 list") {
    for (const char* c : {"US", "GB", "DE", "FR", "AD", "ZW", "AX", "SS", "CW"}) CHECK(core::is_country_code(c));
    for (const char* c : {"", "U", "us", "Us", "USA", "XK", "ZZ", "UK", "EU", "AA", "00", "U1"})
        CHECK_FALSE(core::is_country_code(c));
}

TEST_CASE("region codes have the ISO 3166-2 shape of their country") {
    for (const char* r : {"US-CA", "GB-ENG", "FR-75C", "DE-BY", "ES-M", "CN-11"}) {
        INFO(r);
        CHECK(core::is_region_code(r, std::string_view(r).substr(0, 2)));
    }
    CHECK_FALSE(core::is_region_code("US-CA", "CA"));
    CHECK_FALSE(core::is_region_code("US-", "US"));
    CHECK_FALSE(core::is_region_code("US-CALI", "US"));
    CHECK_FALSE(core::is_region_code("US-ca", "US"));
    CHECK_FALSE(core::is_region_code("USCA", "US"));
    CHECK_FALSE(core::is_region_code("us-CA", "us"));
    CHECK_FALSE(core::is_region_code("US_CA", "US"));
    CHECK_FALSE(core::is_region_code("US-C A", "US"));
    CHECK_FALSE(core::is_region_code("CA", ""));
}

TEST_CASE("zone_for_country finds the zone with its rates in creation order") {
    World w;
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.shipping.any_zone(c); }));
    auto eu = w.zone("Europe", {"FR", "DE"});
    auto na = w.zone("North America", {"US", "CA"});
    auto standard = w.rate(eu.id, "Standard", 500);
    auto express = w.rate(eu.id, "Express", 1500);
    w.rate(na.id, "Ground", 700);

    CHECK(w.read([&](db::Conn& c) { return w.shipping.any_zone(c); }));
    auto z = w.read([&](db::Conn& c) { return w.shipping.zone_for_country(c, "DE"); });
    REQUIRE(z);
    CHECK(z->id == eu.id);
    CHECK(z->countries == std::vector<std::string>{"DE", "FR"});
    REQUIRE(z->rates.size() == 2);
    CHECK(z->rates[0].id == standard.id);
    CHECK(z->rates[1].id == express.id);
    CHECK(z->rates[1].price == 1500);
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.shipping.zone_for_country(c, "JP"); }));
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.shipping.zone_for_country(c, "de"); }));

    auto r = w.read([&](db::Conn& c) { return w.shipping.rate(c, express.id); });
    REQUIRE(r);
    CHECK(r->zone_id == eu.id);
    CHECK(r->name == "Express");
    CHECK_FALSE(r->free_over);
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.shipping.rate(c, "shr_none"); }));

    w.admin.remove_zone(eu.id);
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.shipping.zone_for_country(c, "FR"); }));
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.shipping.rate(c, standard.id); }));
    CHECK(w.read([&](db::Conn& c) { return w.shipping.any_zone(c); }));
}

TEST_CASE("a country is in one zone: the service names the other zone, the key guards the rest") {
    World w;
    auto na = w.zone("North America", {"US", "CA"});
    auto e = error_of([&] { w.zone("USA", {"MX", "US"}); });
    REQUIRE(e);
    CHECK(e->code() == "country_in_another_zone");
    CHECK(test::status_of(*e) == 409);
    CHECK(e->extra()["country"] == "US");
    CHECK(e->extra()["zone_id"] == na.id);
    // Nothing of the refused zone was written, MX included.
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.shipping.zone_for_country(c, "MX"); }));
    CHECK(w.admin.list_zones(std::nullopt, 10).size() == 1);

    auto mx = w.zone("Mexico", {"MX"});
    order::ZoneChange change;
    change.countries = std::vector<std::string>{"MX", "CA"};
    CHECK(test::code_of([&] { w.admin.update_zone(mx.id, change); }) == "country_in_another_zone");
    CHECK(w.admin.zone(mx.id).countries == std::vector<std::string>{"MX"});

    // Past the check (another process between check and write), the primary key refuses.
    ShippingZone sneaky{"shz_sneaky", "Sneaky", {"CA"}, {}, 1, 1};
    CHECK_THROWS_AS(w.t.db().write([&](db::Tx& tx) { w.shipping.insert_zone(tx, sneaky); }), db::ConstraintError);
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.shipping.find_zone(c, "shz_sneaky"); }));
    CHECK(w.read([&](db::Conn& c) { return w.shipping.zone_for_country(c, "CA"); })->id == na.id);
}

TEST_CASE("rates: bounds are checked on the whole rate, and a rate is reached through its zone") {
    World w;
    auto a = w.zone("A", {"US"});
    auto b = w.zone("B", {"CA"});
    ShippingRate r;
    r.name = "Tiered";
    r.price = 100;
    r.min_subtotal = 1000;
    r.max_subtotal = 1000;
    CHECK(test::code_of([&] { w.admin.add_rate(a.id, r); }) == "validation_failed");
    r.max_subtotal = 5000;
    auto made = w.admin.add_rate(a.id, r);
    order::RateChange change;
    change.min_subtotal.emplace(6000);
    CHECK(test::code_of([&] { w.admin.update_rate(a.id, made.id, change); }) == "validation_failed");
    change.max_subtotal.emplace(std::nullopt);
    auto changed = w.admin.update_rate(a.id, made.id, change);
    CHECK(changed.min_subtotal == 6000);
    CHECK_FALSE(changed.max_subtotal);
    CHECK(test::code_of([&] { w.admin.update_rate(b.id, made.id, {}); }) == "not_found");
    CHECK(test::code_of([&] { w.admin.remove_rate(b.id, made.id); }) == "not_found");
    CHECK(test::code_of([&] { w.admin.add_rate("shz_none", r); }) == "not_found");
}

TEST_CASE("a country's rates, from which pricing takes the region's, else the country's, else none") {
    World w;
    auto federal = w.tax("US", "", 100);
    auto california = w.tax("US", "US-CA", 725);
    w.tax("GB", "GB-SCT", 2000);
    auto rate_for = [&](const char* country, const char* region) {
        auto rates = w.read([&](db::Conn& c) { return w.taxes.rates_for_country(c, country); });
        const TaxRate* chosen = order::pricing::tax_rate_for(rates, country, region);
        return chosen ? std::optional<TaxRate>(*chosen) : std::nullopt;
    };
    CHECK(rate_for("US", "US-CA")->id == california.id);
    CHECK(rate_for("US", "US-CA")->rate_bp == 725);
    CHECK(rate_for("US", "US-NY")->id == federal.id);
    CHECK(rate_for("US", "")->id == federal.id);
    CHECK(rate_for("GB", "GB-SCT")->rate_bp == 2000);
    CHECK_FALSE(rate_for("GB", "GB-ENG"));
    CHECK_FALSE(rate_for("GB", ""));
    CHECK_FALSE(rate_for("FR", "FR-75C"));
}

TEST_CASE("one tax rate per country and region") {
    World w;
    w.tax("US", "", 100);
    auto ny = w.tax("US", "US-NY", 400);
    auto e = error_of([&] { w.tax("US", "", 5); });
    REQUIRE(e);
    CHECK(e->code() == "tax_rate_exists");
    CHECK(test::status_of(*e) == 409);
    CHECK(test::code_of([&] { w.tax("US", "US-NY", 5); }) == "tax_rate_exists");
    CHECK(test::code_of([&] { w.tax("US", "CA-ON", 5); }) == "validation_failed");
    order::TaxChange change;
    change.region.emplace(std::nullopt);
    CHECK(test::code_of([&] { w.admin.update_tax_rate(ny.id, change); }) == "tax_rate_exists");
    order::TaxChange move;
    move.country = "CA";
    CHECK(test::code_of([&] { w.admin.update_tax_rate(ny.id, move); }) == "validation_failed");
    move.region.emplace("CA-ON");
    CHECK(w.admin.update_tax_rate(ny.id, move).region == "CA-ON");
    // The unique index is the last guard.
    TaxRate twin{"tax_twin", "US", "", "twin", 1, false, 1, 1};
    CHECK_THROWS_AS(w.t.db().write([&](db::Tx& tx) { w.taxes.insert(tx, twin); }), db::ConstraintError);
}

TEST_CASE("find_by_code matches codes in any case; codes are unique in any case") {
    World w;
    auto d = w.discount("Summer-10");
    for (const char* typed : {"Summer-10", "SUMMER-10", "summer-10", "sUmMeR-10"}) {
        INFO(typed);
        auto found = w.read([&](db::Conn& c) { return w.discounts.find_by_code(c, typed); });
        REQUIRE(found);
        CHECK(found->id == d.id);
        CHECK(found->code == "Summer-10");
    }
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.discounts.find_by_code(c, "Summer-1"); }));
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.discounts.find_by_code(c, "Summer_10"); }));

    auto e = error_of([&] { w.discount("SUMMER-10", DiscountType::Fixed, 100); });
    REQUIRE(e);
    CHECK(e->code() == "code_taken");
    CHECK(test::status_of(*e) == 409);
    // Deactivated, the code still names its discount, and is still taken.
    auto off = w.admin.deactivate_discount(d.id);
    CHECK_FALSE(off.active);
    CHECK_FALSE(w.read([&](db::Conn& c) { return w.discounts.find_by_code(c, "summer-10"); })->active);
    CHECK(test::code_of([&] { w.discount("summer-10"); }) == "code_taken");

    auto other = w.discount("OTHER");
    order::DiscountChange rename;
    rename.code = "SUMMER-10";
    CHECK(test::code_of([&] { w.admin.update_discount(other.id, rename); }) == "code_taken");
    rename.code = "summer-10";
    rename.active = true;
    auto same = w.admin.update_discount(d.id, rename);
    CHECK(same.code == "summer-10");
    CHECK(same.active);
    CHECK(w.read([&](db::Conn& c) { return w.discounts.find_by_code(c, "SUMMER-10"); })->code == "summer-10");
}

TEST_CASE("a discount keeps its value fitting its type and names only known ids") {
    World w;
    CHECK(test::code_of([&] { w.discount("P0", DiscountType::Percentage, 0); }) == "validation_failed");
    CHECK(test::code_of([&] { w.discount("P101", DiscountType::Percentage, 101); }) == "validation_failed");
    CHECK(test::code_of([&] { w.discount("F0", DiscountType::Fixed, 0); }) == "validation_failed");
    Discount d;
    d.code = "DATES";
    d.value = 5;
    d.starts_at_ms = 2000;
    d.ends_at_ms = 1000;
    CHECK(test::code_of([&] { w.admin.create_discount(d); }) == "validation_failed");
    d.ends_at_ms.reset();
    d.product_ids = {"p1", "nope"};
    auto e = error_of([&] { w.admin.create_discount(d); });
    REQUIRE(e);
    REQUIRE(e->errors().size() == 1);
    CHECK(e->errors()[0].field == "product_ids[1]");
    d.product_ids = {"p1"};
    d.category_ids = {"cat_books"};
    auto made = w.admin.create_discount(d);
    CHECK(made.product_ids == std::vector<std::string>{"p1"});
    CHECK(made.category_ids == std::vector<std::string>{"cat_books"});
    CHECK(made.starts_at_ms == 2000);

    order::DiscountChange change;
    change.type = DiscountType::Fixed;
    CHECK(test::code_of([&] { w.admin.update_discount(made.id, change); }) == "validation_failed");
    change.value.emplace(250);
    auto fixed = w.admin.update_discount(made.id, change);
    CHECK(fixed.type == DiscountType::Fixed);
    CHECK(fixed.value == 250);
    order::DiscountChange free;
    free.type = DiscountType::FreeShipping;
    auto shipping = w.admin.update_discount(made.id, free);
    CHECK(shipping.type == DiscountType::FreeShipping);
    CHECK(shipping.value == 0);
    order::DiscountChange unknown;
    unknown.category_ids = std::vector<std::string>{"cat_none"};
    CHECK(test::code_of([&] { w.admin.update_discount(made.id, unknown); }) == "validation_failed");
    CHECK(w.admin.discount(made.id).category_ids == std::vector<std::string>{"cat_books"});
}

TEST_CASE("the admin never writes the usage count") {
    World w;
    auto d = w.discount("COUNTED");
    w.t.db().write([&](db::Tx& tx) { tx.exec("UPDATE discounts SET used = 3 WHERE id = ?", d.id); });
    order::DiscountChange change;
    change.value.emplace(20);
    CHECK(w.admin.update_discount(d.id, change).usage_count == 3);
    CHECK(w.admin.deactivate_discount(d.id).usage_count == 3);
    CHECK(w.read([&](db::Conn& c) { return w.discounts.find_by_code(c, "counted"); })->usage_count == 3);
}
