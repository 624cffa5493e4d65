#pragma once
// The rules of options and variants (API.md section 9), as pure functions: the HTTP
// handlers, the services and the CSV import check the same things and name the same fields.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "shop/core/error.hpp"

namespace shop::product {

inline constexpr std::size_t kMaxOptions = 3;
inline constexpr std::size_t kMaxOptionValues = 50;
// A product with three options could name 125,000 combinations; a shop lists far fewer,
// and a cap keeps one product's JSON, cart lookups and facet counting small.
inline constexpr std::size_t kMaxVariants = 100;
inline constexpr std::size_t kMaxOptionName = 50;
inline constexpr std::size_t kMaxOptionValue = 100;

// Upper bounds keep every total an order can reach (price x quantity, summed) far inside
// 64 bits.
inline constexpr std::int64_t kMaxPrice = 100'000'000'000;  // one billion in major units
inline constexpr std::int64_t kMaxStock = 1'000'000'000;

struct NewVariant {
    std::string sku;
    nlohmann::json options = nlohmann::json::object();  // {name: value}
    std::int64_t price = 0;
    std::int64_t stock = 0;
};

// `options` as a client sent it: [{name, values:[string]}], 0-3 of them, names unique
// (ignoring case) and without ':', 1-50 distinct values each. Errors name "options[i]...".
void check_options(const nlohmann::json& options, std::vector<FieldError>& errors);

// A variant's combination against its product's options: exactly one value of every option,
// each one of that option's values. Errors name `field` (e.g. "variants[2].options").
void check_combination(const nlohmann::json& product_options, const nlohmann::json& combination,
                       const std::string& field, std::vector<FieldError>& errors);

// A variant added later may bring a new value of an option (size XL for a shirt sold in S to
// L), as in other shops' admin: appends it to that option's values. Errors name `field`;
// true when the options changed.
bool add_new_values(nlohmann::json& product_options, const nlohmann::json& combination, const std::string& field,
                    std::vector<FieldError>& errors);

// The variants of a new product: each combination valid and named once, skus distinct,
// at least one and at most kMaxVariants.
void check_variants(const nlohmann::json& product_options, const std::vector<NewVariant>& variants,
                    std::vector<FieldError>& errors);

// The canonical form of a combination, the same whatever order its members came in; two
// variants of one product with the same key are the same combination.
std::string option_key(const nlohmann::json& combination);

bool has_control_chars(std::string_view s);

}  // namespace shop::product
