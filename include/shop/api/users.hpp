#pragma once
// What the user module lets other modules read: addresses and e-mail for checkout.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "shop/db/database.hpp"

namespace shop::api {

struct Address {
    std::string id;
    std::string user_id;
    std::string name;
    std::string line1;
    std::optional<std::string> line2;
    std::string city;
    std::string postal_code;
    std::string country;
    // An ISO 3166-2 subdivision code of `country`, upper-case ("US-CA"); nullopt when none
    // was given. Initialised so that the eight-field initialisers written before it stay
    // complete.
    std::optional<std::string> region = std::nullopt;
};

class Users {
public:
    static constexpr std::string_view kInterface = "users";  // its name in composition errors
    virtual ~Users() = default;
    // The address if it exists and belongs to user_id; nullopt otherwise.
    virtual std::optional<Address> address(db::Conn& c, std::string_view user_id, std::string_view address_id) = 0;
    // {"name","line1","line2"?,"city","postal_code","country","region"?} as the contract shows an
    // address: an absent line2 or region is left out.
    virtual nlohmann::json to_json(const Address& a) const = 0;
    // The user's e-mail (lower-cased at sign-up); nullopt for an unknown user.
    virtual std::optional<std::string> email(db::Conn& c, std::string_view user_id) = 0;
};

}  // namespace shop::api
