#pragma once
// Every SQL statement about shipments (API.md section 11): a shipment's row and its lines,
// written together, and read back for whole pages of orders.
#include <map>
#include <string>
#include <vector>

#include "order.hpp"
#include "shop/db/database.hpp"

namespace shop::order {

class ShipmentRepository {
public:
    void insert(db::Tx& tx, const std::string& order_id, const Shipment& s);
    // Units of each variant of the order shipped so far, from the stored shipments; read in
    // the transaction that adds a shipment, so what is left is what is really left.
    std::map<std::string, std::int64_t> shipped(db::Conn& c, const std::string& order_id);
    // Fills each order's shipments, oldest first, in one query for the whole page.
    void load(db::Conn& c, std::vector<Order>& orders);
};

}  // namespace shop::order
