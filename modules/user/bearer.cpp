#include "bearer.hpp"

namespace shop::user {

std::optional<http::Principal> BearerVerifier::verify(std::string_view bearer_token) const {
    if (!bearer_token.starts_with(ApiKeyService::kPrefix)) return jwt_.verify(bearer_token);
    auto key = keys_.authenticate(bearer_token);
    if (!key) return std::nullopt;
    return http::Principal{key->id, http::Role::Admin, std::move(key->scopes)};
}

}  // namespace shop::user
