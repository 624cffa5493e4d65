#include "jwt_secret.hpp"

#include "shop/core/log.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"

namespace shop::user {

void check_jwt_secret(const std::string& configured) {
    if (!configured.empty() && configured.size() < kMinJwtSecret)
        throw core::ConfigError("auth.jwt_secret (SHOPD_JWT_SECRET)", "must be at least 32 characters");
}

std::string resolve_jwt_secret(const std::string& configured, db::Database& db, const UserRepository& users) {
    check_jwt_secret(configured);
    if (!configured.empty()) return configured;
    const std::string candidate = core::random_token(48);
    const std::int64_t now = core::now_ms();
    std::string secret = db.write([&](db::Tx& tx) { return users.shared_secret(tx, "jwt_hs256", candidate, now); });
    log::warn(
        "auth.jwt_secret (SHOPD_JWT_SECRET) is not set: signing access tokens with a secret generated once and kept "
        "in the database; set one shared secret when replicas use different databases");
    return secret;
}

}  // namespace shop::user
