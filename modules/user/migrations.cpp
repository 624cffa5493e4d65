#include "migrations.hpp"

namespace shop::user {

namespace {
// One text for both dialects: times are BIGINT, which PostgreSQL needs (its INTEGER is 32
// bits) and SQLite reads as a 64-bit integer (INTEGER affinity); nothing else differs.
constexpr const char* kSchemaV1 = R"sql(
-- email is stored normalised (trimmed, lower-case), so UNIQUE is case-insensitive.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('customer', 'admin')),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX users_created ON users(created_at, id);
-- Only a SHA-256 of each refresh token is kept. A rotated token keeps its row (used_at set)
-- until it expires, so presenting it again is recognised as re-use.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id);
CREATE INDEX refresh_tokens_expires ON refresh_tokens(expires_at);
-- In the database rather than in memory, so replicas sharing it count failures together.
CREATE TABLE login_failures (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, at);
CREATE INDEX login_failures_ip ON login_failures(client_ip, at);
CREATE INDEX login_failures_at ON login_failures(at);
CREATE TABLE addresses (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    line1 TEXT NOT NULL,
    line2 TEXT,
    city TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    country TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX addresses_user ON addresses(user_id, created_at, id);
-- The generated JWT secret, when none is configured: shared by every process on this database.
CREATE TABLE user_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
)sql";

constexpr const char* kApiKeysV4 = R"sql(
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX api_keys_created ON api_keys(created_at, id);
)sql";

// token_generation: raised by a password change or reset and a role change; an access
// token carries the generation it was issued in and is refused once it is not the current
// one (Jwt::end_tokens_by). Existing tokens carry none, which reads as 0: they stay valid.
//
// password_resets: a row per request, whether or not an account has the email (user_id
// NULL then), so both cost the same and both count towards the per-address limit. Only a
// SHA-256 of each token is kept; a row without a user_id can never be confirmed.
constexpr const char* kSchemaV5 = R"sql(
ALTER TABLE users ADD COLUMN token_generation BIGINT NOT NULL DEFAULT 0;
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    user_id TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_email ON password_resets(email, created_at);
CREATE INDEX password_resets_user ON password_resets(user_id);
CREATE INDEX password_resets_expires ON password_resets(expires_at);
)sql";
}  // namespace

void add_migrations(db::Migrator& m) {
    m.add("user", 1, kSchemaV1);
    // A refresh family's absolute lifetime (auth.session_max_days) counts from its sign-in;
    // each rotated token carries that moment on. Existing tokens count from their own
    // creation, the latest moment their sign-in can have been.
    m.add("user", 2,
          "ALTER TABLE refresh_tokens ADD COLUMN family_started_at BIGINT NOT NULL DEFAULT 0;"
          "UPDATE refresh_tokens SET family_started_at = created_at;");
    // Addresses gain an optional ISO 3166-2 subdivision (API.md section 10, for tax by
    // region); addresses saved before have none.
    m.add("user", 3, "ALTER TABLE addresses ADD COLUMN region TEXT;");
    // API keys (section 12): only a SHA-256 of each key is kept; a revoked key's row is
    // deleted, so the lookup by hash each request makes finds nothing on any replica.
    m.add("user", 4, kApiKeysV4);
    // Ending access tokens early and password resets (section 12).
    m.add("user", 5, kSchemaV5);
}

}  // namespace shop::user
