#pragma once
// What the product module lets other modules read of the catalogue. Implementations read
// through the caller's connection or transaction, so a read inside a write transaction
// sees that transaction's changes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "shop/db/database.hpp"

namespace shop::api {

// One sellable version of a product (section 9): its own sku, price and stock. A product
// without options has exactly one, whose id is the product's id.
struct VariantInfo {
    std::string id;
    std::string product_id;
    std::string sku;
    nlohmann::json options = nlohmann::json::object();  // {option name: value}; {} without options
    std::int64_t price = 0;  // minor units
    std::int64_t stock = 0;
    std::string status;      // "active" | "archived"

    bool active() const { return status == "active"; }
};

struct ProductInfo {
    std::string id;
    std::string sku;
    std::string name;
    std::string description;
    // With options these three are read from the active variants: the lowest and highest
    // price and the summed stock. Without options they are the one variant's own.
    std::int64_t price = 0;  // minor units
    std::int64_t price_max = 0;
    std::string currency;
    std::int64_t stock = 0;  // available now
    std::optional<std::string> category_id;
    nlohmann::json attributes = nlohmann::json::object();
    nlohmann::json images = nlohmann::json::array();
    std::string status;      // "active" | "archived"
    std::int64_t version = 1;
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;
    nlohmann::json options = nlohmann::json::array();  // [{name, values:[string]}], 0-3 of them
    std::vector<VariantInfo> variants;                  // archived ones included

    bool active() const { return status == "active"; }
    bool has_options() const { return !options.empty(); }
    const VariantInfo* variant(std::string_view variant_id) const {
        for (const auto& v : variants)
            if (v.id == variant_id) return &v;
        return nullptr;
    }
};

// What a cart or order line names, resolved: a variant id, or the id of a product without
// options (which names its one variant).
struct Item {
    ProductInfo product;
    std::optional<VariantInfo> variant;  // nullopt: a product with options was named (variant_required)

    // Both for sale: the line can be ordered.
    bool sellable() const { return variant && product.active() && variant->active(); }
};

struct CategoryInfo {
    std::string id;
    std::string name;
    std::optional<std::string> parent_id;
};

class Catalog {
public:
    static constexpr std::string_view kInterface = "catalog";  // its name in composition errors
    virtual ~Catalog() = default;
    virtual std::optional<ProductInfo> product(db::Conn& c, std::string_view id) = 0;
    // Missing ids are simply absent from the result; order follows `ids`.
    virtual std::vector<ProductInfo> products(db::Conn& c, const std::vector<std::string>& ids) = 0;
    // Each id resolved as a cart or order line names it; nullopt for an unknown id. Order
    // follows `ids`.
    virtual std::vector<std::optional<Item>> items(db::Conn& c, const std::vector<std::string>& ids) = 0;
    virtual std::vector<CategoryInfo> categories(db::Conn& c) = 0;
    // The category and all its descendants; empty when the id is unknown.
    virtual std::vector<std::string> category_subtree(db::Conn& c, std::string_view category_id) = 0;
    // The contract's product JSON (section 4), so every module shows a product the same way.
    virtual nlohmann::json to_json(const ProductInfo& p) const = 0;
};

}  // namespace shop::api
