#pragma once
// Every SQL statement about shipping zones, the countries each covers and their rates.
// A country is in at most one zone: the primary key of shipping_zone_countries says so, and
// callers check country_owner() first, in the same transaction, to name the other zone.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkout_rules.hpp"
#include "list_key.hpp"
#include "shop/db/database.hpp"

namespace shop::order {

struct CountryOwner {
    std::string country;
    std::string zone_id;
};

class ShippingRepository {
public:
    // The zone and its countries (its rates are inserted one by one, insert_rate). A country
    // another zone holds: db::ConstraintError.
    void insert_zone(db::Tx& tx, const ShippingZone& z);
    // Its name, updated_at and whole country list (same ConstraintError).
    void update_zone(db::Tx& tx, const ShippingZone& z);
    // The zone, its countries and its rates; false when there was no such zone.
    bool remove_zone(db::Tx& tx, std::string_view id);
    // With countries (sorted) and rates (by created_at, id).
    std::optional<ShippingZone> find_zone(db::Conn& c, std::string_view id);
    // In creation order, strictly after `after`.
    std::vector<ShippingZone> list_zones(db::Conn& c, const std::optional<ListKey>& after, int limit);
    // The first of `countries` (alphabetically) held by a zone other than `zone_id`.
    std::optional<CountryOwner> country_owner(db::Conn& c, const std::vector<std::string>& countries,
                                              std::string_view zone_id);

    void insert_rate(db::Tx& tx, const ShippingRate& r);
    // Everything but id, zone_id and created_at.
    void update_rate(db::Tx& tx, const ShippingRate& r);
    void remove_rate(db::Tx& tx, std::string_view rate_id);

    // What pricing reads. Whether the shop has any zone (none: it ships everywhere free).
    bool any_zone(db::Conn& c);
    // The zone holding `country`, its rates loaded and ordered by created_at, id.
    std::optional<ShippingZone> zone_for_country(db::Conn& c, std::string_view country);
    std::optional<ShippingRate> rate(db::Conn& c, std::string_view rate_id);

private:
    void insert_countries(db::Tx& tx, const ShippingZone& z);
    void load(db::Conn& c, std::vector<ShippingZone>& zones);
};

}  // namespace shop::order
