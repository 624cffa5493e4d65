#pragma once
// api::Inventory: stock reservations inside the caller's write transaction.
#include "product_repository.hpp"
#include "shop/api/inventory.hpp"

namespace shop::product {

class ProductInventory final : public api::Inventory {
public:
    // Throws std::invalid_argument for a line whose quantity is not positive.
    api::Reservation reserve(db::Tx& tx, const std::vector<api::StockLine>& lines) override;
    void release(db::Tx& tx, const std::vector<api::StockLine>& lines) override;
    // The stock of an active variant of an active product; 0 otherwise.
    std::int64_t available(db::Conn& c, const std::string& variant_id) override;

private:
    ProductRepository products_;
    VariantRepository variants_;
};

}  // namespace shop::product
