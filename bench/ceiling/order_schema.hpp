#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sqlite_handle.hpp"

namespace shop::bench {

// What the seeded shop holds that the order loop needs.
struct Catalogue {
    std::vector<std::string> variant_ids;  // every variant: the lines are drawn from these
    std::vector<std::string> buyer_ids;    // the accounts that order (bench/run signs in 64)
    std::int64_t products = 0;
    std::int64_t users = 0;
    std::int64_t events = 0;
};

// The tables a plain POST /orders reads or writes, plus categories (the products' foreign
// key), each with the columns, constraints and secondary indexes shopd's migrations leave
// (as `sqlite3 shop.db .schema` prints them after `shopd migrate`).
void create_order_tables(Db& db);

// bench/run's catalogue shape: products "{Adjective} {Material} {Noun}" in 20 categories,
// every third with two options (Size 4 x Colour 3 = 12 variants), the rest plain (one
// variant whose id is the product's); products are added until `variants` variants exist.
// Every variant holds 1,000,000 in stock. 10,000 customers, and one event per product and
// per customer as shopd's event log would hold. Deterministic for a given seed.
Catalogue seed_catalogue(Db& db, std::int64_t variants, std::uint64_t seed);

}  // namespace shop::bench
