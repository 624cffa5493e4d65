#pragma once
// All SQL of product_variants and variant_option_values: the variants' rows, the conditional
// stock updates that keep each variant's stock right with several writers and several
// processes, and the product columns read from the variants (price, price_max, stock).
//
// Lock order, so that two server-database transactions never wait on each other in a
// circle: variant rows first (in id order), then product rows (in id order).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shop/api/catalog.hpp"
#include "shop/db/database.hpp"

namespace shop::product {

using api::VariantInfo;

// What a stock change did to one variant.
struct StockChange {
    std::string variant_id;
    std::string product_id;
    std::int64_t stock = 0;  // the variant's stock afterwards
    bool active = true;      // the variant's status
};

class VariantRepository {
public:
    // Throws db::ConstraintError when the sku is taken or the combination is on sale already.
    void insert(db::Tx& tx, const VariantInfo& v, std::int64_t now_ms);
    std::optional<VariantInfo> find(db::Conn& c, std::string_view id);
    std::optional<VariantInfo> find_by_sku(db::Conn& c, std::string_view sku);
    // The variants among `ids` that exist.
    std::vector<VariantInfo> find_many(db::Conn& c, const std::vector<std::string>& ids);
    // Every variant of these products, archived ones too, each product's in creation order.
    std::map<std::string, std::vector<VariantInfo>> of_products(db::Conn& c, const std::vector<std::string>& ids);

    // The sku names a variant of another product, or another product itself. A product's
    // own sku may be the sku of one of its variants (the one variant of a plain product is).
    bool sku_taken(db::Conn& c, std::string_view sku, std::string_view product_id, std::string_view except_variant);

    // Writes sku and price; false when the variant is not the product's.
    bool update(db::Tx& tx, const VariantInfo& v, std::int64_t now_ms);
    // active -> archived; the archived variant, or nullopt when it was not active.
    std::optional<VariantInfo> archive(db::Tx& tx, std::string_view product_id, std::string_view id,
                                       std::int64_t now_ms);

    // Sets the status (a CSV import may bring an archived variant back); false when unknown.
    // The caller refreshes the product.
    bool set_status(db::Tx& tx, std::string_view id, std::string_view status, std::int64_t now_ms);
    // stock += delta unless that goes below zero; nullopt when refused or unknown. The
    // product's stock follows in the same transaction.
    std::optional<StockChange> adjust_stock(db::Tx& tx, std::string_view product_id, std::string_view id,
                                            std::int64_t delta, std::int64_t now_ms);
    // Takes each quantity from its active variant of an active product if every one has that
    // much; false otherwise (the caller rolls back: some may have been taken).
    bool take_stock(db::Tx& tx, const std::map<std::string, std::int64_t>& wanted, std::int64_t now_ms);
    // Gives the quantities back, whatever the variants' and products' status.
    void put_back_stock(db::Tx& tx, const std::map<std::string, std::int64_t>& given, std::int64_t now_ms);

    // Reads products.price, price_max and stock from the product's active variants again,
    // and bumps its version. Every change to a variant's price, status or existence calls it.
    void refresh_product(db::Tx& tx, std::string_view product_id, std::int64_t now_ms);

private:
    // products.stock += delta for each product, with a version bump; how many rows changed.
    std::int64_t shift_product_stock(db::Tx& tx, const std::map<std::string, std::int64_t>& delta,
                                     std::int64_t now_ms, bool active_only);
};

}  // namespace shop::product
