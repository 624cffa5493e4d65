#pragma once
#include "shop/db/migrator.hpp"

namespace shop::user {

// The user module's tables: accounts, refresh tokens, login failures, addresses, and the
// generated JWT secret.
void add_migrations(db::Migrator& m);

}  // namespace shop::user
