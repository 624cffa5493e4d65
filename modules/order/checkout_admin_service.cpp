#include "checkout_admin_service.hpp"

#include <fmt/format.h>

#include <set>

#include "shop/core/iso3166.hpp"
#include "shop/core/error.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"
#include "shop/db/errors.hpp"

namespace shop::order {

namespace {

Error country_taken(const CountryOwner& o) {
    return Error("country_in_another_zone",
                 fmt::format("{} is in shipping zone {} already; take it out there first", o.country, o.zone_id))
        .with_field("country", o.country)
        .with_field("zone_id", o.zone_id);
}

template <class T>
void apply(std::optional<T>& field, const Clearable<T>& change) {
    if (change) field = *change;
}

void check_rate(const ShippingRate& r) {
    if (r.min_subtotal && r.max_subtotal && *r.min_subtotal >= *r.max_subtotal)
        throw Error::validation("max_subtotal", "must be greater than min_subtotal");
}

void check_tax_rate(const TaxRate& t) {
    if (!t.region.empty() && !core::is_region_code(t.region, t.country))
        throw Error::validation("region",
                                fmt::format("must be an ISO 3166-2 code of {} such as {}-XX", t.country, t.country));
}

std::vector<FieldError> discount_errors(const Discount& d) {
    std::vector<FieldError> errors;
    if (d.type == DiscountType::Percentage && (d.value < 1 || d.value > 100))
        errors.emplace_back("value", "must be an integer from 1 to 100 (percent) for a percentage discount");
    if (d.type == DiscountType::Fixed && (d.value < 1 || d.value > kMaxSettingMoney))
        errors.emplace_back("value", fmt::format("must be an integer from 1 to {} (minor units) for a fixed discount",
                                                 kMaxSettingMoney));
    if (d.starts_at_ms && d.ends_at_ms && *d.starts_at_ms >= *d.ends_at_ms)
        errors.emplace_back("ends_at", "must be after starts_at");
    return errors;
}

}  // namespace

void CheckoutAdminService::check_countries_free(db::Conn& c, const std::vector<std::string>& countries,
                                                const std::string& zone_id) {
    if (auto owner = shipping_.country_owner(c, countries, zone_id)) throw country_taken(*owner);
}

// --- shipping zones ---

ShippingZone CheckoutAdminService::create_zone(const ShippingZone& in) {
    return db_.write([&](db::Tx& tx) {
        ShippingZone z{core::new_id("shz"), in.name, in.countries, {}, core::now_ms(), 0};
        z.updated_at_ms = z.created_at_ms;
        check_countries_free(tx, z.countries, z.id);
        try {
            shipping_.insert_zone(tx, z);
        } catch (const db::ConstraintError&) {
            // Another process put one of the countries in its zone between the check and the insert.
            throw Error("country_in_another_zone", "one of the countries was put in another zone meanwhile");
        }
        return *shipping_.find_zone(tx, z.id);
    });
}

std::vector<ShippingZone> CheckoutAdminService::list_zones(const std::optional<ListKey>& after, int limit) {
    return db_.read([&](db::Conn& c) { return shipping_.list_zones(c, after, limit); });
}

ShippingZone CheckoutAdminService::zone(const std::string& id) {
    auto z = db_.read([&](db::Conn& c) { return shipping_.find_zone(c, id); });
    if (!z) throw Error::not_found("no such shipping zone");
    return *z;
}

ShippingZone CheckoutAdminService::update_zone(const std::string& id, const ZoneChange& change) {
    return db_.write([&](db::Tx& tx) {
        auto current = shipping_.find_zone(tx, id);
        if (!current) throw Error::not_found("no such shipping zone");
        ShippingZone next = *current;
        if (change.name) next.name = *change.name;
        if (change.countries) next.countries = *change.countries;
        if (next.name == current->name && std::set(next.countries.begin(), next.countries.end()) ==
                                              std::set(current->countries.begin(), current->countries.end()))
            return *current;
        check_countries_free(tx, next.countries, id);
        next.updated_at_ms = core::now_ms();
        try {
            shipping_.update_zone(tx, next);
        } catch (const db::ConstraintError&) {
            throw Error("country_in_another_zone", "one of the countries was put in another zone meanwhile");
        }
        return *shipping_.find_zone(tx, id);
    });
}

void CheckoutAdminService::remove_zone(const std::string& id) {
    db_.write([&](db::Tx& tx) {
        if (!shipping_.remove_zone(tx, id)) throw Error::not_found("no such shipping zone");
    });
}

// --- shipping rates ---

ShippingRate CheckoutAdminService::add_rate(const std::string& zone_id, const ShippingRate& in) {
    check_rate(in);
    return db_.write([&](db::Tx& tx) {
        if (!shipping_.find_zone(tx, zone_id)) throw Error::not_found("no such shipping zone");
        ShippingRate r = in;
        r.id = core::new_id("shr");
        r.zone_id = zone_id;
        r.created_at_ms = r.updated_at_ms = core::now_ms();
        shipping_.insert_rate(tx, r);
        return r;
    });
}

ShippingRate CheckoutAdminService::update_rate(const std::string& zone_id, const std::string& rate_id,
                                               const RateChange& change) {
    return db_.write([&](db::Tx& tx) {
        auto current = shipping_.rate(tx, rate_id);
        // A rate is reached through its zone: another zone's rate is as absent as none.
        if (!current || current->zone_id != zone_id) throw Error::not_found("no such rate in this shipping zone");
        ShippingRate next = *current;
        if (change.name) next.name = *change.name;
        if (change.price) next.price = *change.price;
        apply(next.free_over, change.free_over);
        apply(next.min_subtotal, change.min_subtotal);
        apply(next.max_subtotal, change.max_subtotal);
        check_rate(next);
        if (next.name == current->name && next.price == current->price && next.free_over == current->free_over &&
            next.min_subtotal == current->min_subtotal && next.max_subtotal == current->max_subtotal)
            return next;
        next.updated_at_ms = core::now_ms();
        shipping_.update_rate(tx, next);
        return next;
    });
}

void CheckoutAdminService::remove_rate(const std::string& zone_id, const std::string& rate_id) {
    db_.write([&](db::Tx& tx) {
        auto current = shipping_.rate(tx, rate_id);
        if (!current || current->zone_id != zone_id) throw Error::not_found("no such rate in this shipping zone");
        shipping_.remove_rate(tx, rate_id);
    });
}

// --- tax rates ---

TaxRate CheckoutAdminService::create_tax_rate(const TaxRate& in) {
    check_tax_rate(in);
    return db_.write([&](db::Tx& tx) {
        TaxRate t = in;
        t.id = core::new_id("tax");
        t.created_at_ms = t.updated_at_ms = core::now_ms();
        const Error taken("tax_rate_exists",
                          "a tax rate for this country and region exists already; change it instead");
        if (taxes_.place_taken(tx, t.country, t.region, t.id)) throw taken;
        try {
            taxes_.insert(tx, t);
        } catch (const db::ConstraintError&) {
            throw taken;
        }
        return t;
    });
}

std::vector<TaxRate> CheckoutAdminService::list_tax_rates(const std::optional<ListKey>& after, int limit) {
    return db_.read([&](db::Conn& c) { return taxes_.list(c, after, limit); });
}

TaxRate CheckoutAdminService::tax_rate(const std::string& id) {
    auto t = db_.read([&](db::Conn& c) { return taxes_.find(c, id); });
    if (!t) throw Error::not_found("no such tax rate");
    return *t;
}

TaxRate CheckoutAdminService::update_tax_rate(const std::string& id, const TaxChange& change) {
    return db_.write([&](db::Tx& tx) {
        auto current = taxes_.find(tx, id);
        if (!current) throw Error::not_found("no such tax rate");
        TaxRate next = *current;
        if (change.country) next.country = *change.country;
        if (change.region) next.region = change.region->value_or("");
        if (change.name) next.name = *change.name;
        if (change.rate_bp) next.rate_bp = *change.rate_bp;
        if (change.shipping_taxable) next.shipping_taxable = *change.shipping_taxable;
        check_tax_rate(next);
        if (next.country == current->country && next.region == current->region && next.name == current->name &&
            next.rate_bp == current->rate_bp && next.shipping_taxable == current->shipping_taxable)
            return next;
        const Error taken("tax_rate_exists", "another tax rate is set for this country and region");
        if (taxes_.place_taken(tx, next.country, next.region, id)) throw taken;
        next.updated_at_ms = core::now_ms();
        try {
            taxes_.update(tx, next);
        } catch (const db::ConstraintError&) {
            throw taken;
        }
        return next;
    });
}

void CheckoutAdminService::remove_tax_rate(const std::string& id) {
    db_.write([&](db::Tx& tx) {
        if (!taxes_.remove(tx, id)) throw Error::not_found("no such tax rate");
    });
}

// --- discounts ---

void CheckoutAdminService::check_references(db::Conn& c, const Discount& d) {
    std::vector<FieldError> errors;
    if (!d.product_ids.empty()) {
        std::set<std::string> known;
        for (const auto& p : catalog_.products(c, d.product_ids)) known.insert(p.id);
        for (std::size_t i = 0; i < d.product_ids.size(); ++i)
            if (!known.count(d.product_ids[i]))
                errors.emplace_back("product_ids[" + std::to_string(i) + "]", "is not a known product id");
    }
    if (!d.category_ids.empty()) {
        std::set<std::string> known;
        for (const auto& cat : catalog_.categories(c)) known.insert(cat.id);
        for (std::size_t i = 0; i < d.category_ids.size(); ++i)
            if (!known.count(d.category_ids[i]))
                errors.emplace_back("category_ids[" + std::to_string(i) + "]", "is not a known category id");
    }
    if (!errors.empty()) throw Error::validation(std::move(errors));
}

Discount CheckoutAdminService::create_discount(const Discount& in) {
    if (auto errors = discount_errors(in); !errors.empty()) throw Error::validation(std::move(errors));
    return db_.write([&](db::Tx& tx) {
        Discount d = in;
        d.id = core::new_id("dsc");
        d.active = true;
        d.usage_count = 0;
        d.created_at_ms = d.updated_at_ms = core::now_ms();
        check_references(tx, d);
        const Error taken("code_taken", fmt::format("the code {} is taken (codes match in any case)", d.code));
        if (discounts_.code_taken(tx, d.code, d.id)) throw taken;
        try {
            discounts_.insert(tx, d);
        } catch (const db::ConstraintError&) {
            throw taken;
        }
        return d;
    });
}

std::vector<Discount> CheckoutAdminService::list_discounts(const std::optional<ListKey>& after, int limit) {
    return db_.read([&](db::Conn& c) { return discounts_.list(c, after, limit); });
}

Discount CheckoutAdminService::discount(const std::string& id) {
    auto d = db_.read([&](db::Conn& c) { return discounts_.find(c, id); });
    if (!d) throw Error::not_found("no such discount");
    return *d;
}

Discount CheckoutAdminService::update_discount(const std::string& id, const DiscountChange& change) {
    return db_.write([&](db::Tx& tx) {
        auto current = discounts_.find(tx, id);
        if (!current) throw Error::not_found("no such discount");
        Discount next = *current;
        std::vector<FieldError> errors;
        if (change.code) next.code = *change.code;
        if (change.type) next.type = *change.type;
        const bool type_changed = next.type != current->type;
        if (next.type == DiscountType::FreeShipping) {
            if (change.value && *change.value)
                errors.emplace_back("value", "must be absent or null for a free_shipping discount");
            next.value = 0;
        } else if (change.value) {
            if (*change.value)
                next.value = **change.value;
            else
                errors.emplace_back("value", "must not be null for a percentage or fixed discount");
        } else if (type_changed) {
            errors.emplace_back("value", "is required when the type changes to percentage or fixed");
        }
        apply(next.min_subtotal, change.min_subtotal);
        apply(next.starts_at_ms, change.starts_at_ms);
        apply(next.ends_at_ms, change.ends_at_ms);
        apply(next.usage_limit, change.usage_limit);
        apply(next.per_customer_limit, change.per_customer_limit);
        if (change.product_ids) next.product_ids = *change.product_ids;
        if (change.category_ids) next.category_ids = *change.category_ids;
        if (change.active) next.active = *change.active;
        if (errors.empty()) errors = discount_errors(next);
        if (!errors.empty()) throw Error::validation(std::move(errors));
        if (change.product_ids || change.category_ids) check_references(tx, next);
        if (next.code != current->code && discounts_.code_taken(tx, next.code, id))
            throw Error("code_taken", fmt::format("the code {} is taken (codes match in any case)", next.code));
        next.updated_at_ms = core::now_ms();
        try {
            discounts_.update(tx, next);
        } catch (const db::ConstraintError&) {
            throw Error("code_taken", fmt::format("the code {} was taken meanwhile", next.code));
        }
        return *discounts_.find(tx, id);
    });
}

Discount CheckoutAdminService::deactivate_discount(const std::string& id) {
    return db_.write([&](db::Tx& tx) {
        auto current = discounts_.find(tx, id);
        if (!current) throw Error::not_found("no such discount");
        if (!current->active) return *current;
        Discount next = *current;
        next.active = false;
        next.updated_at_ms = core::now_ms();
        discounts_.update(tx, next);
        return *discounts_.find(tx, id);
    });
}

}  // namespace shop::order
