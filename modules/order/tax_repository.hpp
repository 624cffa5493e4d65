#pragma once
// Every SQL statement about tax rates. One rate per (country, region), region '' standing
// for the whole country: the unique index tax_rates_place says so, and callers check
// place_taken() first, in the same transaction.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkout_rules.hpp"
#include "list_key.hpp"
#include "shop/db/database.hpp"

namespace shop::order {

class TaxRepository {
public:
    // A rate for the same place: db::ConstraintError.
    void insert(db::Tx& tx, const TaxRate& t);
    // Everything but id and created_at (same ConstraintError).
    void update(db::Tx& tx, const TaxRate& t);
    // False when there was no such rate.
    bool remove(db::Tx& tx, std::string_view id);
    std::optional<TaxRate> find(db::Conn& c, std::string_view id);
    // In creation order, strictly after `after`.
    std::vector<TaxRate> list(db::Conn& c, const std::optional<ListKey>& after, int limit);
    // Whether a rate other than `except_id` is set for this (country, region).
    bool place_taken(db::Conn& c, std::string_view country, std::string_view region, std::string_view except_id);

    // What pricing reads: every rate of the country, its regions' and its own; pricing
    // picks the region's over the country's (pricing::tax_rate_for).
    std::vector<TaxRate> rates_for_country(db::Conn& c, std::string_view country);
};

}  // namespace shop::order
