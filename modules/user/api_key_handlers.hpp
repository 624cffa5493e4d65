#pragma once
// HTTP <-> JSON for the API-key routes (section 12). The routes are admin-only and name no
// scope, so no API key can make, list or revoke keys.
#include <nlohmann/json.hpp>

#include "api_key_service.hpp"
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"

namespace shop::user {

constexpr std::size_t kApiKeyNameMax = 100;

// {id, name, scopes, created_at, last_used_at}: never the key or its hash.
nlohmann::json api_key_json(const ApiKey& k);

class ApiKeyHandlers {
public:
    explicit ApiKeyHandlers(ApiKeyService& keys) : keys_(keys) {}

    http::Response create(http::Context& c);  // 201 with `key`, this once
    http::Response list(http::Context& c);
    http::Response revoke(http::Context& c);  // 204

private:
    ApiKeyService& keys_;
};

}  // namespace shop::user
