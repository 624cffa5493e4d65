#pragma once
// The catalogue as a spreadsheet (API.md section 9): the export writes one CSV row per
// variant; the import reads the same columns back and upserts by sku, all rows or none,
// naming every bad row.
#include <cstdint>
#include <string>
#include <string_view>

#include "category_repository.hpp"
#include "product_repository.hpp"
#include "product_service.hpp"
#include "variant_repository.hpp"
#include "shop/db/database.hpp"

namespace shop::product {

struct ImportResult {
    std::int64_t created = 0;  // rows that made a new variant (and product)
    std::int64_t updated = 0;  // rows that changed an existing variant or its product
};

// A file of more rows is refused whole: one import is one transaction, and a shop with more
// variants imports in parts.
inline constexpr std::size_t kMaxImportRows = 10000;

class CatalogFile {
public:
    CatalogFile(db::Database& db, ProductService& products) : db_(db), products_(products) {}

    // text/csv: product_id, variant_id, sku, name, description, category_id, price, stock,
    // status, then option:<Name> for every option name in the shop, sorted.
    std::string export_csv();
    // 422 validation_failed with errors [{row, field, message}] (row 0: the header).
    ImportResult import_csv(std::string_view text);

private:
    db::Database& db_;
    ProductService& products_;
    ProductRepository product_rows_;
    VariantRepository variants_;
    CategoryRepository categories_;
};

}  // namespace shop::product
