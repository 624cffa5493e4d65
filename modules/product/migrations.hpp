#pragma once
#include "shop/db/migrator.hpp"

namespace shop::product {

// The product module's tables: categories and products.
void add_migrations(db::Migrator& m);

}  // namespace shop::product
