#include "address_service.hpp"

#include "shop/core/random.hpp"
#include "shop/core/error.hpp"

namespace shop::user {

AddressService::AddressService(db::Database& db, const AddressRepository& repo, const UserRepository& users,
                               Clock clock)
    : db_(db), repo_(repo), users_(users), clock_(std::move(clock)) {}

api::Address AddressService::create(const std::string& user_id, const NewAddress& n) {
    api::Address a{core::new_id("addr"), user_id, n.name, n.line1, n.line2, n.city, n.postal_code, n.country, n.region};
    const std::int64_t now = clock_();
    db_.write([&](db::Tx& tx) { repo_.insert(tx, a, now); });
    return a;
}

std::vector<ListedAddress> AddressService::list(const std::string& user_id, const std::optional<ListKey>& after,
                                                int limit) {
    return db_.read([&](db::Conn& c) { return repo_.list(c, user_id, after, limit); });
}

std::optional<api::Address> AddressService::find(const std::string& user_id, const std::string& id) {
    return db_.read([&](db::Conn& c) { return repo_.find(c, user_id, id); });
}

void AddressService::remove(const std::string& user_id, const std::string& id) {
    bool removed = db_.write([&](db::Tx& tx) { return repo_.remove(tx, user_id, id); });
    if (!removed) throw Error::not_found("no such address");
}

std::optional<api::Address> AddressService::address(db::Conn& c, std::string_view user_id,
                                                    std::string_view address_id) {
    return repo_.find(c, user_id, address_id);
}

std::optional<std::string> AddressService::email(db::Conn& c, std::string_view user_id) {
    auto u = users_.find(c, user_id);
    if (!u) return std::nullopt;
    return u->email;
}

nlohmann::json AddressService::to_json(const api::Address& a) const {
    nlohmann::json j = {
        {"name", a.name}, {"line1", a.line1}, {"city", a.city}, {"postal_code", a.postal_code}, {"country", a.country}};
    if (a.line2) j["line2"] = *a.line2;
    if (a.region) j["region"] = *a.region;
    return j;
}

}  // namespace shop::user
