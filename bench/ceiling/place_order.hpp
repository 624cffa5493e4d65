#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "shop_ids.hpp"
#include "sqlite_handle.hpp"

namespace shop::bench {

// One plain order as shopd's POST /orders writes it: a signed-in buyer, 1-3 lines by
// variant, quantity 1 each, an inline address, an Idempotency-Key, no discount code, no
// shipping zones or tax rates configured, no webhook endpoints (bench/run's shop). The
// statements are shopd's, in the same order, with its SQL text but for one planner fix
// (see ceiling.cpp).
struct OrderRequest {
    std::string user_id;
    std::string key;          // the Idempotency-Key
    std::string fingerprint;  // sha256 hex of the request, 64 characters
    std::vector<std::string> variant_ids;  // 1 to kMaxLines, distinct
};

class PlaceOrder {
public:
    static constexpr std::size_t kMaxLines = 3;

    PlaceOrder(Db& db, std::uint64_t seed);
    // Inside the caller's BEGIN IMMEDIATE ... COMMIT, as one job of shopd's group commit.
    // Throws if anything differs from a successful order (a stock or key conflict).
    void place(const OrderRequest& req);

private:
    struct Line {
        std::string variant_id, product_id, sku, name, options;
        std::int64_t unit_price = 0, quantity = 1;
    };
    void read_items(std::vector<Line>& lines);
    void take_stock(const std::vector<Line>& lines, std::int64_t now);

    IdMaker ids_;
    Stmt savepoint_, release_, claim_;
    std::array<Stmt, kMaxLines> variants_by_id_, products_by_id_, variants_of_products_;
    Stmt any_zone_, tax_rates_, user_;
    std::array<Stmt, kMaxLines> take_stock_, shift_product_stock_;
    Stmt insert_order_;
    std::array<Stmt, kMaxLines> insert_items_;
    Stmt insert_event_, endpoints_, watermark_, set_watermark_, complete_key_;
    std::string email_, body_, event_data_, headers_;
};

}  // namespace shop::bench
