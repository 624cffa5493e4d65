#pragma once
// Where the HS256 secret comes from: the setting, or else one generated once per database.
#include <string>

#include "shop/core/settings.hpp"
#include "shop/db/database.hpp"
#include "user_repository.hpp"

namespace shop::user {

constexpr std::size_t kMinJwtSecret = 32;

// ConfigError for a configured secret shorter than kMinJwtSecret bytes.
void check_jwt_secret(const std::string& configured);
// The configured secret, or the one kept in the database (made by the first process to
// ask), so that every replica sharing the database signs and verifies alike.
std::string resolve_jwt_secret(const std::string& configured, db::Database& db, const UserRepository& users);

}  // namespace shop::user
