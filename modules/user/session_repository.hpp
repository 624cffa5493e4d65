#pragma once
// SQL for sign-in state: refresh tokens (stored as SHA-256 hashes only) and failed sign-ins.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model.hpp"
#include "shop/db/database.hpp"

namespace shop::user {

class SessionRepository {
public:
    void insert_refresh(db::Tx& tx, const std::string& token_hash, const std::string& family_id,
                        const std::string& user_id, std::int64_t now_ms, std::int64_t expires_at_ms,
                        std::int64_t family_started_ms) const;
    std::optional<RefreshRecord> find_refresh(db::Conn& c, const std::string& token_hash) const;
    // Marks a live token rotated; false when it was used or revoked meanwhile.
    bool mark_used(db::Tx& tx, const std::string& token_hash, std::int64_t now_ms) const;
    bool revoke(db::Tx& tx, const std::string& token_hash, std::int64_t now_ms) const;
    void revoke_family(db::Tx& tx, const std::string& family_id, std::int64_t now_ms) const;
    void revoke_user(db::Tx& tx, const std::string& user_id, std::int64_t now_ms) const;
    std::int64_t purge_refresh(db::Tx& tx, std::int64_t expired_before_ms) const;

    void insert_failure(db::Tx& tx, const std::string& id, const std::string& email, const std::string& client_ip,
                        std::int64_t at_ms) const;
    void delete_failure(db::Tx& tx, const std::string& id) const;
    std::int64_t failures_by_email(db::Conn& c, const std::string& email, std::int64_t since_ms) const;
    std::int64_t failures_by_ip(db::Conn& c, const std::string& client_ip, std::int64_t since_ms) const;
    // Time of the n-th (0-based) oldest failure after since_ms.
    std::optional<std::int64_t> nth_failure_by_email(db::Conn& c, const std::string& email, std::int64_t since_ms,
                                                     std::int64_t n) const;
    std::optional<std::int64_t> nth_failure_by_ip(db::Conn& c, const std::string& client_ip, std::int64_t since_ms,
                                                  std::int64_t n) const;
    std::int64_t purge_failures(db::Tx& tx, std::int64_t before_ms) const;
};

}  // namespace shop::user
