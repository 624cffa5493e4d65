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

struct ProductInfo {
    std::string id;
    std::string sku;
    std::string name;
    std::string description;
    std::int64_t price = 0;  // minor units
    std::string currency;
    std::int64_t stock = 0;  // available now
    std::optional<std::string> category_id;
    nlohmann::json attributes = nlohmann::json::object();
    nlohmann::json images = nlohmann::json::array();
    std::string status;      // "active" | "archived"
    std::int64_t version = 1;
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;

    bool active() const { return status == "active"; }
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
    virtual std::vector<CategoryInfo> categories(db::Conn& c) = 0;
    // The category and all its descendants; empty when the id is unknown.
    virtual std::vector<std::string> category_subtree(db::Conn& c, std::string_view category_id) = 0;
    // The contract's product JSON (section 4), so every module shows a product the same way.
    virtual nlohmann::json to_json(const ProductInfo& p) const = 0;
};

}  // namespace shop::api
