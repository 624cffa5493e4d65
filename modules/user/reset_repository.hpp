#pragma once
// SQL for password resets: a row per request, keyed by the SHA-256 of its token.
#include <cstdint>
#include <optional>
#include <string>

#include "shop/db/database.hpp"

namespace shop::user {

struct ResetRecord {
    std::optional<std::string> user_id;  // none: no account had the email
    std::int64_t expires_at_ms = 0;
    std::optional<std::int64_t> used_at_ms;
};

class ResetRepository {
public:
    void insert(db::Tx& tx, const std::string& token_hash, const std::string& email,
                const std::optional<std::string>& user_id, std::int64_t now_ms, std::int64_t expires_at_ms) const;
    std::optional<ResetRecord> find(db::Conn& c, const std::string& token_hash) const;
    // Requests for `email` made after since_ms, with or without an account.
    std::int64_t count_since(db::Conn& c, const std::string& email, std::int64_t since_ms) const;
    // Marks a live token of an account used; false when it is unknown, used or expired
    // (checked in the writing transaction, so two confirmations cannot both win).
    bool use(db::Tx& tx, const std::string& token_hash, std::int64_t now_ms) const;
    // Every other unused token of the user stops working too.
    void use_all(db::Tx& tx, const std::string& user_id, std::int64_t now_ms) const;
    std::int64_t purge(db::Tx& tx, std::int64_t expired_before_ms) const;
};

}  // namespace shop::user
