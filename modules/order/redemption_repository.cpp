#include "redemption_repository.hpp"

namespace shop::order {

RedemptionRepository::Taken RedemptionRepository::take(db::Tx& tx, const std::string& discount_id,
                                                       const std::string& customer,
                                                       std::optional<std::int64_t> per_customer_limit) {
    // The limit is read in the statement that counts the use, never before it.
    if (tx.exec("UPDATE discounts SET used = used + 1 "
                "WHERE id = ? AND (usage_limit IS NULL OR used < usage_limit)",
                discount_id) == 0)
        return Taken::CodeUsedUp;
    // The customer's row is made on first use; later uses count up while under the limit.
    const std::int64_t limit = per_customer_limit.value_or(INT64_MAX);
    if (tx.exec("INSERT INTO discount_uses(discount_id, customer, uses) VALUES (?, ?, 1) "
                "ON CONFLICT (discount_id, customer) DO UPDATE SET uses = discount_uses.uses + 1 "
                "WHERE discount_uses.uses < ?",
                discount_id, customer, limit) == 0)
        return Taken::CustomerUsedUp;
    return Taken::Ok;
}

void RedemptionRepository::give_back(db::Tx& tx, const std::string& discount_id, const std::string& customer) {
    tx.exec("UPDATE discounts SET used = used - 1 WHERE id = ? AND used > 0", discount_id);
    tx.exec("UPDATE discount_uses SET uses = uses - 1 WHERE discount_id = ? AND customer = ? AND uses > 0",
            discount_id, customer);
}

std::int64_t RedemptionRepository::uses_by(db::Conn& c, const std::string& discount_id, const std::string& customer) {
    auto r = c.query_one("SELECT uses FROM discount_uses WHERE discount_id = ? AND customer = ?", discount_id, customer);
    return r ? r->i64(0) : 0;
}

}  // namespace shop::order
