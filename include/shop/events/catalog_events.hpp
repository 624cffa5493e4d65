#pragma once
// The product module's domain events: products, stock and categories. Each struct is the
// whole contract of its event's `data` (docs/events.md), defined once in
// src/events/catalog_events.cpp. Money is in minor units beside `currency`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace shop::events {

struct ProductCreated {
    static constexpr std::string_view kType = "product.created";
    std::string product_id;
    std::optional<std::string> category_id;  // null when uncategorised
    std::int64_t price = 0;
    std::string currency;
    std::int64_t stock = 0;
    bool operator==(const ProductCreated&) const = default;
};

struct ProductUpdated {
    static constexpr std::string_view kType = "product.updated";
    std::string product_id;
    std::int64_t version = 0;         // the version the change made
    std::vector<std::string> fields;  // names of the fields it changed
    bool operator==(const ProductUpdated&) const = default;
};

struct ProductArchived {
    static constexpr std::string_view kType = "product.archived";
    std::string product_id;
    bool operator==(const ProductArchived&) const = default;
};

struct StockAdjusted {
    static constexpr std::string_view kType = "stock.adjusted";
    std::string product_id;
    std::int64_t delta = 0;
    std::int64_t stock = 0;  // the variant's, after the adjustment
    std::optional<std::string> reason;
    std::string variant_id;  // whose stock moved; events written before variants (v1.1) read as product_id
    bool operator==(const StockAdjusted&) const = default;
};

struct CategoryCreated {
    static constexpr std::string_view kType = "category.created";
    std::string category_id;
    std::optional<std::string> parent_id;  // null for a top-level category
    bool operator==(const CategoryCreated&) const = default;
};

struct CategoryUpdated {
    static constexpr std::string_view kType = "category.updated";
    std::string category_id;
    std::vector<std::string> fields;        // "name", "parent_id": what changed
    std::optional<std::string> parent_id;   // after the change; null for a top-level category
    bool operator==(const CategoryUpdated&) const = default;
};

struct CategoryDeleted {
    static constexpr std::string_view kType = "category.deleted";
    std::string category_id;
    bool operator==(const CategoryDeleted&) const = default;
};

void to_json(nlohmann::json& j, const ProductCreated& e);
void from_json(const nlohmann::json& j, ProductCreated& e);
void to_json(nlohmann::json& j, const ProductUpdated& e);
void from_json(const nlohmann::json& j, ProductUpdated& e);
void to_json(nlohmann::json& j, const ProductArchived& e);
void from_json(const nlohmann::json& j, ProductArchived& e);
void to_json(nlohmann::json& j, const StockAdjusted& e);
void from_json(const nlohmann::json& j, StockAdjusted& e);
void to_json(nlohmann::json& j, const CategoryCreated& e);
void from_json(const nlohmann::json& j, CategoryCreated& e);
void to_json(nlohmann::json& j, const CategoryUpdated& e);
void from_json(const nlohmann::json& j, CategoryUpdated& e);
void to_json(nlohmann::json& j, const CategoryDeleted& e);
void from_json(const nlohmann::json& j, CategoryDeleted& e);

}  // namespace shop::events
