#pragma once
// Every SQL statement about discount codes. Codes are unique case-insensitively: code_key
// (the code in ASCII lower case) carries a UNIQUE constraint, and callers check
// code_taken() first, in the same transaction. `used` is the checkout's to count; nothing
// here writes it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checkout_rules.hpp"
#include "list_key.hpp"
#include "shop/db/database.hpp"

namespace shop::order {


class DiscountRepository {
public:
    // A code taken (in any case): db::ConstraintError. usage_count is not written.
    void insert(db::Tx& tx, const Discount& d);
    // Everything an admin may change: not id, created_at or the usage count (same
    // ConstraintError for a code taken).
    void update(db::Tx& tx, const Discount& d);
    std::optional<Discount> find(db::Conn& c, std::string_view id);
    // In creation order, strictly after `after`.
    std::vector<Discount> list(db::Conn& c, const std::optional<ListKey>& after, int limit);
    // Whether a discount other than `except_id` has this code, in any case.
    bool code_taken(db::Conn& c, std::string_view code, std::string_view except_id);

    // What pricing reads: the discount with this code, in any case; inactive ones too.
    std::optional<Discount> find_by_code(db::Conn& c, std::string_view code);
};

}  // namespace shop::order
