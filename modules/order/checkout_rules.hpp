#pragma once
// What a shop configures for checkout (section 10): shipping zones and their rates, tax
// rates, and discount codes. Plain data, read by the pricing function and written by the
// admin routes; money in minor units, times in ms since the epoch.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shop::order {

struct ShippingRate {
    std::string id;
    std::string zone_id;
    std::string name;
    std::int64_t price = 0;
    std::optional<std::int64_t> free_over;     // costs 0 from this discounted subtotal up
    std::optional<std::int64_t> min_subtotal;  // applies from here (inclusive) ...
    std::optional<std::int64_t> max_subtotal;  // ... up to here (exclusive)
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;
};

struct ShippingZone {
    std::string id;
    std::string name;
    std::vector<std::string> countries;  // ISO 3166-1 alpha-2, each in at most one zone
    std::vector<ShippingRate> rates;
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;
};

struct TaxRate {
    std::string id;
    std::string country;  // ISO 3166-1 alpha-2
    std::string region;   // ISO 3166-2 (e.g. US-CA); empty: the whole country
    std::string name;
    std::int64_t rate_bp = 0;  // basis points: 2000 = 20 %
    bool shipping_taxable = false;
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;
};

enum class DiscountType { Percentage, Fixed, FreeShipping };

// "percentage" | "fixed" | "free_shipping", as stored and as the API spells them.
inline std::string_view to_string(DiscountType t) {
    switch (t) {
        case DiscountType::Percentage: return "percentage";
        case DiscountType::Fixed: return "fixed";
        case DiscountType::FreeShipping: return "free_shipping";
    }
    return "percentage";
}

inline std::optional<DiscountType> discount_type_from_string(std::string_view s) {
    if (s == "percentage") return DiscountType::Percentage;
    if (s == "fixed") return DiscountType::Fixed;
    if (s == "free_shipping") return DiscountType::FreeShipping;
    return std::nullopt;
}

// What codes and buyers' e-mails are matched by: ASCII lower case.
inline std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& ch : out)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
}

struct Discount {
    std::string id;
    std::string code;  // as created; matched case-insensitively
    DiscountType type = DiscountType::Percentage;
    std::int64_t value = 0;  // percent 1-100, or minor units off; 0 for free_shipping
    std::optional<std::int64_t> min_subtotal;
    std::optional<std::int64_t> starts_at_ms;
    std::optional<std::int64_t> ends_at_ms;
    std::optional<std::int64_t> usage_limit;
    std::optional<std::int64_t> per_customer_limit;
    std::vector<std::string> product_ids;   // empty with category_ids empty: every line
    std::vector<std::string> category_ids;  // descendants included
    bool active = true;
    std::int64_t usage_count = 0;  // orders holding a use now
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;
};

}  // namespace shop::order
