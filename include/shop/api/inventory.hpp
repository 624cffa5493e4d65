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

struct StockLine {
    std::string product_id;
    std::int64_t quantity = 0;  // > 0
};

struct Reservation {
    enum class Outcome {
        Reserved,      // every line taken
        Insufficient,  // product_id had too little stock; nothing taken
        Unavailable,   // product_id is unknown or archived; nothing taken
    };
    Outcome outcome = Outcome::Reserved;
    std::string product_id;
    bool ok() const { return outcome == Outcome::Reserved; }
};

class Inventory {
public:
    static constexpr std::string_view kInterface = "inventory";  // its name in composition errors
    virtual ~Inventory() = default;
    // All lines or none. Lines naming one product twice are summed.
    virtual Reservation reserve(db::Tx& tx, const std::vector<StockLine>& lines) = 0;
    // Puts stock back (cancel, expiry). Archived products get their stock back too.
    virtual void release(db::Tx& tx, const std::vector<StockLine>& lines) = 0;
    virtual std::int64_t available(db::Conn& c, const std::string& product_id) = 0;
};

}  // namespace shop::api
