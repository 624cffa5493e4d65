#pragma once
// SQL for shipping addresses.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "shop/api/users.hpp"
#include "shop/db/database.hpp"

namespace shop::user {

class AddressRepository {
public:
    void insert(db::Tx& tx, const api::Address& a, std::int64_t now_ms) const;
    // Only the owner's: another user's address is as absent as a missing one.
    std::optional<api::Address> find(db::Conn& c, std::string_view user_id, std::string_view id) const;
    // Oldest first; `after`: the key of the previous page's last address.
    std::vector<ListedAddress> list(db::Conn& c, std::string_view user_id, const std::optional<ListKey>& after,
                                    int limit) const;
    bool remove(db::Tx& tx, std::string_view user_id, std::string_view id) const;
};

}  // namespace shop::user
