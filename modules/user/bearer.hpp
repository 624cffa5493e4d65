#pragma once
// The gateway's bearer hook: a token starting "sk_" is an API key (an admin limited to its
// scopes, checked against the database on each request), anything else a JWT access token.
#include <optional>
#include <string_view>

#include "api_key_service.hpp"
#include "jwt.hpp"
#include "shop/http/route.hpp"

namespace shop::user {

class BearerVerifier final : public http::TokenVerifier {
public:
    BearerVerifier(const Jwt& jwt, ApiKeyService& keys) : jwt_(jwt), keys_(keys) {}

    std::optional<http::Principal> verify(std::string_view bearer_token) const override;

private:
    const Jwt& jwt_;
    ApiKeyService& keys_;
};

}  // namespace shop::user
