#pragma once
// What a search index keeps of one product, whichever index it is: the text it searches
// and what the filters and facets need. The SQL indexes and the in-memory one take the
// same fields, so they find the same products and count the same facets.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shop::search {

// One value of one option (Size: M) that an active variant of the product has.
struct OptionValue {
    std::string name;
    std::string value;
    bool operator==(const OptionValue&) const = default;
};

struct OptionCount {
    OptionValue option;
    std::int64_t count = 0;  // matching products with that value
};

// Over the matching products: the lowest `price` and the highest `price_max`.
struct PriceRange {
    std::int64_t min = 0;
    std::int64_t max = 0;
    bool operator==(const PriceRange&) const = default;
};

struct SearchDocument {
    std::optional<std::string> category_id;
    std::int64_t price = 0;            // the lowest active variant's price (what the price filter reads)
    std::int64_t price_max = 0;        // the highest
    std::vector<OptionValue> options;  // distinct, over the active variants
    std::string name;
    std::string description;
    // The active variants' option values and skus, one text. It weighs as much as the
    // description (BM25 weight 1): a sku or a value is a strong hint but should not outrank
    // a product named so, and with equal weights the in-memory index keeps one hit count
    // for both fields.
    std::string variants;
};

}  // namespace shop::search
