#pragma once
// Input rules for accounts, shared by the HTTP handlers, the admin bootstrap and the CLI.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "shop/core/email.hpp"
#include "shop/http/validate.hpp"

namespace shop::user {

constexpr std::size_t kPasswordMin = 8;
constexpr std::size_t kPasswordMax = 128;
using core::kEmailMax;
constexpr std::size_t kNameMax = 200;

// E-mail rules live in core: guest checkout takes addresses by the same rules.
using core::normalize_email;
using core::valid_email;
// Length in characters (UTF-8 code points), not bytes.
std::size_t utf8_length(std::string_view s);
// nullopt when the password is acceptable, else why not.
std::optional<std::string> password_problem(std::string_view password);

// An ISO 3166-2 subdivision code of `country` (an upper-case ISO 3166-1 alpha-2 code): the
// country's two letters, a hyphen, then 1-3 letters or digits, as in "US-CA" or "FR-75C".
// Returned upper-cased ("us-ca" is "US-CA"); nullopt for any other shape, or a code of
// another country.
std::optional<std::string> normalize_region(std::string_view region, std::string_view country);

// Body readers that record a 422 field error in `f` and return nullopt on a bad value.
// `required`: absence is an error too.
std::optional<std::string> read_email(http::Fields& f, const nlohmann::json& body, const std::string& field);
std::optional<std::string> read_password(http::Fields& f, const nlohmann::json& body, const std::string& field,
                                         bool required);

}  // namespace shop::user
