#pragma once
// Stock reservation for the order module. All calls run inside the caller's write
// transaction, so a reservation commits or rolls back with the order that made it, and
// stay correct with several processes on one database (conditional updates, no read-then-
// write races).
#include <string_view>
#include <cstdint>
#include <string>
#include <vector>

#include "shop/db/database.hpp"

namespace shop::api {

// Stock is kept per variant (section 9); a product without options has one variant whose
// id is the product's.
struct StockLine {
    std::string variant_id;
    std::int64_t quantity = 0;  // > 0
};

struct Reservation {
    enum class Outcome {
        Reserved,      // every line taken
        Insufficient,  // variant_id had too little stock
        Unavailable,   // variant_id, or its product, is unknown or archived
    };
    Outcome outcome = Outcome::Reserved;
    std::string variant_id;
    std::string product_id;  // the variant's product, when known
    bool ok() const { return outcome == Outcome::Reserved; }
};

class Inventory {
public:
    static constexpr std::string_view kInterface = "inventory";  // its name in composition errors
    virtual ~Inventory() = default;
    // All lines or none. Lines naming one variant twice are summed. On any outcome but
    // Reserved the caller rolls its transaction back: part of the stock may have been taken.
    virtual Reservation reserve(db::Tx& tx, const std::vector<StockLine>& lines) = 0;
    // Puts stock back (cancel, expiry, returns). Archived variants get their stock back too.
    virtual void release(db::Tx& tx, const std::vector<StockLine>& lines) = 0;
    virtual std::int64_t available(db::Conn& c, const std::string& variant_id) = 0;
};

}  // namespace shop::api
