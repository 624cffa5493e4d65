#include <nlohmann/json.hpp>

#include "shop/db/database.hpp"

namespace shop::db {

void Tx::emit_built(std::string_view type, const std::function<void(nlohmann::json&)>& build) {
    nlohmann::json data;
    build(data);
    emit(std::string(type), std::move(data));
}

}  // namespace shop::db
