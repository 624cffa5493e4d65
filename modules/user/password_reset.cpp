#include "password_reset.hpp"

#include "auth_service.hpp"
#include "shop/core/error.hpp"
#include "shop/core/random.hpp"

namespace shop::user {

namespace {
constexpr std::size_t kTokenBytes = 32;

Error invalid_token() {
    return Error("invalid_token", "the reset token is invalid, already used or expired");
}
}  // namespace

PasswordReset::PasswordReset(db::Database& db, const UserRepository& users, const SessionRepository& sessions,
                             const ResetRepository& resets, const PasswordHasher& hasher, ResetMailer mailer,
                             Clock clock)
    : db_(db),
      users_(users),
      sessions_(sessions),
      resets_(resets),
      hasher_(hasher),
      mailer_(std::move(mailer)),
      clock_(std::move(clock)) {}

void PasswordReset::request(const std::string& email) {
    const std::string token = core::random_token(kTokenBytes);
    const std::string hash = token_hash(token);
    const std::int64_t now = clock_();
    const std::int64_t expires = now + kTokenTtlMs;
    db_.write([&](db::Tx& tx) {
        auto creds = users_.find_by_email(tx, email);
        if (resets_.count_since(tx, email, now - kTokenTtlMs) >= kMaxPerEmail) return;
        std::optional<std::string> user_id;
        if (creds) user_id = creds->user.id;
        resets_.insert(tx, hash, email, user_id, now, expires);
        if (creds && mailer_) mailer_(tx, ResetMail{creds->user, token, expires});
    });
}

void PasswordReset::confirm(const std::string& token, const std::string& password) {
    const std::string hash = token_hash(token);
    const std::int64_t now = clock_();
    // Checked before the slow hash, so a guessed token costs no argon2id.
    auto rec = db_.read([&](db::Conn& c) { return resets_.find(c, hash); });
    if (!rec || !rec->user_id || rec->used_at_ms || rec->expires_at_ms <= now) throw invalid_token();
    const std::string user_id = *rec->user_id;
    const std::string new_hash = hasher_.hash(password);
    db_.write([&](db::Tx& tx) {
        // Again in the writing transaction: of two confirmations racing, one wins.
        if (!resets_.use(tx, hash, now)) throw invalid_token();
        if (!users_.set_password(tx, user_id, new_hash, now)) throw invalid_token();
        resets_.use_all(tx, user_id, now);
        sessions_.revoke_user(tx, user_id, now);
    });
}

void PasswordReset::purge_expired() {
    const std::int64_t now = clock_();
    db_.write([&](db::Tx& tx) { resets_.purge(tx, now); });
}

}  // namespace shop::user
