#pragma once
// Uses of discount codes: taken in the order's transaction by conditional updates (the
// technique stock uses), so no interleaving of orders, processes or replicas can pass a
// limit; given back when an unpaid order is cancelled or expires.
#include <optional>
#include <string>

#include "shop/db/database.hpp"

namespace shop::order {

class RedemptionRepository {
public:
    enum class Taken { Ok, CodeUsedUp, CustomerUsedUp };
    // One more use of the discount, by `customer`, within the code's total and per-customer
    // limits (nullopt: none). Anything but Ok has changed nothing the caller must keep: it
    // throws, and the transaction rolls back.
    Taken take(db::Tx& tx, const std::string& discount_id, const std::string& customer,
               std::optional<std::int64_t> per_customer_limit);
    void give_back(db::Tx& tx, const std::string& discount_id, const std::string& customer);
    // How many uses of the discount `customer` holds now.
    std::int64_t uses_by(db::Conn& c, const std::string& discount_id, const std::string& customer);
};

}  // namespace shop::order
