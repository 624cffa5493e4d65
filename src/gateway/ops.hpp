#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "gateway/gateway.hpp"
#include "shop/core/metrics.hpp"
#include "shop/db/database.hpp"

namespace shop::gateway {

// /healthz, /readyz, /metrics and /api/v1/openapi.json: the ops half of the contract.
// metrics_token: when not empty, /metrics answers 401 without "Authorization: Bearer <it>".
void add_ops_routes(Gateway& gw, core::Metrics& metrics, db::Database& db, std::string openapi_json,
                    std::string metrics_token = {});

// The core's OpenAPI skeleton merged with each module's fragment ({"paths":..,"components":..}).
std::string assemble_openapi(const std::vector<std::string_view>& fragments);

}  // namespace shop::gateway
