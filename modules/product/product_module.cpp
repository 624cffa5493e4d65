#include "product_module.hpp"

#include <stdexcept>

namespace shop::product {

extern const std::string_view kOpenapi;

struct ProductModule::Impl {
    explicit Impl(Runtime& r) : rt(r) {}
    Runtime& rt;
};

ProductModule::ProductModule(Runtime& rt) : impl_(std::make_unique<Impl>(rt)) {}
ProductModule::~ProductModule() = default;
void ProductModule::migrations(db::Migrator&) {}
void ProductModule::routes(http::Routes&) {}
std::string_view ProductModule::openapi() const { return kOpenapi; }
void ProductModule::start() {}
api::Catalog& ProductModule::catalog() { throw std::logic_error("product module not implemented yet"); }
api::Inventory& ProductModule::inventory() { throw std::logic_error("product module not implemented yet"); }

}  // namespace shop::product
