#pragma once
// Shipping addresses of a user, and the api::Users view the order module reads them (and
// the user's e-mail) through.
#include <optional>
#include <string>
#include <vector>

#include "address_repository.hpp"
#include "model.hpp"
#include "user_repository.hpp"
#include "shop/api/users.hpp"
#include "shop/db/database.hpp"

namespace shop::user {

struct NewAddress {
    std::string name;
    std::string line1;
    std::optional<std::string> line2;
    std::string city;
    std::string postal_code;
    std::string country;  // ISO 3166-1 alpha-2, upper-case
    std::optional<std::string> region = std::nullopt;  // ISO 3166-2 of that country, upper-case (normalize_region)
};

class AddressService final : public api::Users {
public:
    AddressService(db::Database& db, const AddressRepository& repo, const UserRepository& users, Clock clock);

    api::Address create(const std::string& user_id, const NewAddress& a);
    std::vector<ListedAddress> list(const std::string& user_id, const std::optional<ListKey>& after, int limit);
    // nullopt when it does not exist or is another user's.
    std::optional<api::Address> find(const std::string& user_id, const std::string& id);
    // 404 when it does not exist or is another user's.
    void remove(const std::string& user_id, const std::string& id);

    std::optional<api::Address> address(db::Conn& c, std::string_view user_id, std::string_view address_id) override;
    nlohmann::json to_json(const api::Address& a) const override;
    std::optional<std::string> email(db::Conn& c, std::string_view user_id) override;

private:
    db::Database& db_;
    const AddressRepository& repo_;
    const UserRepository& users_;
    Clock clock_;
};

}  // namespace shop::user
