#pragma once
// The shop's checkout settings (section 10): shipping zones and rates, tax rates, discount
// codes. The handlers check each field's shape; this class checks what needs the stored
// state or several fields at once (a PATCH is checked as the whole it makes), and does
// each write in one transaction, so a refused request changes nothing.
//
// Errors: 404 not_found for an unknown id (a rate of another zone included); 409
// country_in_another_zone (with `country` and `zone_id`), tax_rate_exists, code_taken; 422
// validation_failed naming the field.
#include <optional>
#include <string>
#include <vector>

#include "checkout_rules.hpp"
#include "discount_repository.hpp"
#include "list_key.hpp"
#include "shipping_repository.hpp"
#include "shop/api/catalog.hpp"
#include "shop/db/database.hpp"
#include "tax_repository.hpp"

namespace shop::order {

// The most any money field of the settings may hold: 10^13 minor units (100 billion in a
// two-decimal currency), far below where sums of a few of them could overflow.
inline constexpr std::int64_t kMaxSettingMoney = 10'000'000'000'000;

// A PATCH field that may be cleared: nullopt leaves it, an empty inner optional clears it.
template <class T>
using Clearable = std::optional<std::optional<T>>;

struct ZoneChange {
    std::optional<std::string> name;
    std::optional<std::vector<std::string>> countries;  // the whole new list
};

struct RateChange {
    std::optional<std::string> name;
    std::optional<std::int64_t> price;
    Clearable<std::int64_t> free_over;
    Clearable<std::int64_t> min_subtotal;
    Clearable<std::int64_t> max_subtotal;
};

struct TaxChange {
    std::optional<std::string> country;
    Clearable<std::string> region;
    std::optional<std::string> name;
    std::optional<std::int64_t> rate_bp;
    std::optional<bool> shipping_taxable;
};

struct DiscountChange {
    std::optional<std::string> code;
    std::optional<DiscountType> type;
    Clearable<std::int64_t> value;
    Clearable<std::int64_t> min_subtotal;
    Clearable<std::int64_t> starts_at_ms;
    Clearable<std::int64_t> ends_at_ms;
    Clearable<std::int64_t> usage_limit;
    Clearable<std::int64_t> per_customer_limit;
    std::optional<std::vector<std::string>> product_ids;  // null arrives as []
    std::optional<std::vector<std::string>> category_ids;
    std::optional<bool> active;
};

class CheckoutAdminService {
public:
    CheckoutAdminService(db::Database& db, api::Catalog& catalog) : db_(db), catalog_(catalog) {}

    // Shipping zones. `z.countries` are valid, distinct codes (the handler checks them).
    ShippingZone create_zone(const ShippingZone& z);
    std::vector<ShippingZone> list_zones(const std::optional<ListKey>& after, int limit);
    ShippingZone zone(const std::string& id);
    ShippingZone update_zone(const std::string& id, const ZoneChange& change);
    // The zone, its countries and its rates.
    void remove_zone(const std::string& id);

    // Rates of a zone: min_subtotal < max_subtotal when both are set.
    ShippingRate add_rate(const std::string& zone_id, const ShippingRate& r);
    ShippingRate update_rate(const std::string& zone_id, const std::string& rate_id, const RateChange& change);
    void remove_rate(const std::string& zone_id, const std::string& rate_id);

    // Tax rates: region, when set, is a code of the country (ISO 3166-2 shape).
    TaxRate create_tax_rate(const TaxRate& t);
    std::vector<TaxRate> list_tax_rates(const std::optional<ListKey>& after, int limit);
    TaxRate tax_rate(const std::string& id);
    TaxRate update_tax_rate(const std::string& id, const TaxChange& change);
    void remove_tax_rate(const std::string& id);

    // Discount codes: value fits the type, starts_at < ends_at, and every product and
    // category id is known to the catalogue. Removal deactivates: orders and their uses
    // keep naming the discount.
    Discount create_discount(const Discount& d);
    std::vector<Discount> list_discounts(const std::optional<ListKey>& after, int limit);
    Discount discount(const std::string& id);
    // A change of type to percentage or fixed needs a value in the same change.
    Discount update_discount(const std::string& id, const DiscountChange& change);
    Discount deactivate_discount(const std::string& id);

private:
    void check_countries_free(db::Conn& c, const std::vector<std::string>& countries, const std::string& zone_id);
    void check_references(db::Conn& c, const Discount& d);

    db::Database& db_;
    api::Catalog& catalog_;
    ShippingRepository shipping_;
    TaxRepository taxes_;
    DiscountRepository discounts_;
};

}  // namespace shop::order
