#pragma once
// Country and region codes (section 10): shipping zones, tax rates and addresses name
// countries by ISO 3166-1 alpha-2 and regions by ISO 3166-2 code.
#include <string_view>

namespace shop::core {

// One of the officially assigned ISO 3166-1 alpha-2 codes, upper case ("US", "DE"); user-
// assigned codes such as "XK" or "ZZ" are not.
bool is_country_code(std::string_view code);

// The shape of an ISO 3166-2 subdivision code of `country`: the country's two upper-case
// letters, a hyphen, then 1-3 upper-case letters or digits ("US-CA", "FR-75", "GB-ENG"). The
// shape only: whether the subdivision exists is not checked (the list changes every year).
bool is_region_code(std::string_view region, std::string_view country);

}  // namespace shop::core
