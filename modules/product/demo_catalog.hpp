#pragma once
// The demo catalogue behind `shopd serve --demo`: categories in a small tree and a
// thousand-odd products, generated from word lists by a seeded generator of our own (not
// std:: distributions, whose output differs between standard libraries), so the same seed
// gives the same catalogue everywhere.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "shop/db/database.hpp"
#include "variant_rules.hpp"

namespace shop::product {

struct DemoCategory {
    std::string key;  // stable within one catalogue; ids are assigned when loading
    std::string name;
    std::optional<std::string> parent_key;
};

struct DemoProduct {
    std::string sku;
    std::string name;
    std::string description;
    std::int64_t price = 0;
    std::int64_t stock = 0;
    std::string category_key;
    nlohmann::json attributes = nlohmann::json::object();
    nlohmann::json images = nlohmann::json::array();
    std::int64_t age_ms = 0;  // created this long before loading; strictly decreasing down the list
    // With options (clothing: sizes and colours) the variants carry price and stock.
    nlohmann::json options = nlohmann::json::array();
    std::vector<NewVariant> variants;
};

struct DemoCatalog {
    std::vector<DemoCategory> categories;  // parents before their children
    std::vector<DemoProduct> products;
};

inline constexpr std::uint64_t kDemoSeed = 20261125;
inline constexpr int kDemoProducts = 1200;

DemoCatalog generate_demo_catalog(std::uint64_t seed = kDemoSeed, int product_count = kDemoProducts);

// Inserts the catalogue (with its product.created and category.created events) in one write
// transaction, unless the database already has products. Returns how many products it
// inserted: 0 when it left the database alone.
std::size_t load_demo_catalog(db::Database& db, const std::string& currency, const DemoCatalog& catalog);

}  // namespace shop::product
