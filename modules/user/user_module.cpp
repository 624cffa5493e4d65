#include "user_module.hpp"

#include "account_service.hpp"
#include "admin_accounts.hpp"
#include "api_key_handlers.hpp"
#include "api_key_service.hpp"
#include "address_repository.hpp"
#include "address_service.hpp"
#include "auth_service.hpp"
#include "auth_settings.hpp"
#include "bearer.hpp"
#include "jwt.hpp"
#include "jwt_secret.hpp"
#include "login_limiter.hpp"
#include "mail_content.hpp"
#include "mail_projection.hpp"
#include "mail_sender.hpp"
#include "mail_settings.hpp"
#include "migrations.hpp"
#include "password.hpp"
#include "password_reset.hpp"
#include "reset_repository.hpp"
#include "rules.hpp"
#include "session_repository.hpp"
#include "shop/core/log.hpp"
#include "shop/core/outbox.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"
#include "user_handlers.hpp"
#include "user_repository.hpp"

namespace shop::user {

extern const std::string_view kOpenapi;

struct UserModule::Impl {
    Impl(Runtime& r, AuthSettings settings, MailSettings mail)
        : rt(r),
          auth_settings(std::move(settings)),
          mail_settings(std::move(mail)),
          jwt(auth_settings.access_ttl_s),
          hasher(auth_settings.argon2_ops, auth_settings.argon2_mem_kib),
          limiter(r.db, sessions,
                  {auth_settings.login_max_failures_email, auth_settings.login_max_failures_ip,
                   auth_settings.login_window_s},
                  &core::now_ms),
          accounts(r.db, users, sessions, hasher, limiter, &core::now_ms),
          auth(r.db, users, sessions, hasher, limiter, jwt, auth_settings.refresh_ttl_s, auth_settings.session_max_days,
               &core::now_ms),
          addresses(r.db, address_repo, users, &core::now_ms),
          resets(r.db, users, sessions, reset_repo, hasher, reset_mailer(), &core::now_ms),
          api_keys(r.db, api_key_repo, &core::now_ms),
          bearer(jwt, api_keys),
          account_handlers(accounts),
          auth_handlers(auth),
          address_handlers(addresses),
          reset_handlers(resets),
          api_key_handlers(api_keys),
          outbox(r.db),
          mail_projection(mail_settings.enabled(), users, r.interfaces.need_later<api::Orders>("user"),
                          &core::now_ms) {
        if (mail_settings.enabled()) {
            smtp = std::make_unique<SmtpClient>(mail_settings.smtp_url, mail_settings.tls(), mail_settings.ca_file);
            sender = std::make_unique<MailSender>(outbox, mail_settings, *smtp);
        }
    }

    // Without mail, a reset makes its token and sends nothing.
    ResetMailer reset_mailer() const {
        if (!mail_settings.enabled()) return {};
        return [this](db::Tx& tx, const ResetMail& m) {
            enqueue_mail(tx, reset_mail(m.user.email, m.user.name, m.token, token_hash(m.token), m.expires_at_ms,
                                        mail_settings.reset_link(m.token)));
        };
    }

    Runtime& rt;
    const AuthSettings auth_settings;
    const MailSettings mail_settings;
    UserRepository users;
    SessionRepository sessions;
    AddressRepository address_repo;
    ResetRepository reset_repo;
    ApiKeyRepository api_key_repo;
    Jwt jwt;
    PasswordHasher hasher;
    LoginLimiter limiter;
    AccountService accounts;
    AuthService auth;
    AddressService addresses;
    PasswordReset resets;
    ApiKeyService api_keys;
    BearerVerifier bearer;
    AccountHandlers account_handlers;
    AuthHandlers auth_handlers;
    AddressHandlers address_handlers;
    ResetHandlers reset_handlers;
    ApiKeyHandlers api_key_handlers;
    core::Outbox outbox;
    std::unique_ptr<SmtpClient> smtp;
    std::unique_ptr<MailSender> sender;
    MailProjection mail_projection;
    events::EventFeed mail_feed;
};

UserModule::UserModule(Runtime& rt)
    : impl_(std::make_unique<Impl>(rt, read_auth_settings(*rt.config.settings),
                                   read_mail_settings(*rt.config.settings))) {
    rt.interfaces.offer<api::Users>(name(), impl_->addresses);
    rt.interfaces.offer<http::TokenVerifier>(name(), impl_->bearer);
}
UserModule::~UserModule() = default;

void UserModule::migrations(db::Migrator& m) {
    add_migrations(m);
}

void UserModule::subscribe(events::EventBus& bus) {
    impl_->mail_feed.subscribe(bus, impl_->mail_projection.projection());
}

void UserModule::routes(http::Routes& r) {
    using http::Auth;
    using http::Context;
    using http::RateClass;
    AccountHandlers* ac = &impl_->account_handlers;
    AuthHandlers* au = &impl_->auth_handlers;
    AddressHandlers* ad = &impl_->address_handlers;
    // Registration hashes a password before anything else can refuse it: its own, low limit.
    r.post("/api/v1/users", {Auth::Public, RateClass::Signup},
           [ac](Context& c) { return ac->register_user(c); });
    r.post("/api/v1/auth/login", {Auth::Public, RateClass::Auth},
           [au](Context& c) { return au->login(c); });
    r.post("/api/v1/auth/refresh", {Auth::Public, RateClass::Auth},
           [au](Context& c) { return au->refresh(c); });
    r.post("/api/v1/auth/logout", {Auth::Public, RateClass::Auth},
           [au](Context& c) { return au->logout(c); });
    ResetHandlers* rs = &impl_->reset_handlers;
    r.post("/api/v1/auth/password-reset", {Auth::Public, RateClass::Auth},
           [rs](Context& c) { return rs->request(c); });
    r.post("/api/v1/auth/password-reset/confirm", {Auth::Public, RateClass::Auth},
           [rs](Context& c) { return rs->confirm(c); });

    r.get("/api/v1/users/me", {Auth::User}, [ac](Context& c) { return ac->get_me(c); });
    // May hash a password twice: it spends from the same bucket as sign-in.
    r.patch("/api/v1/users/me", {Auth::User, RateClass::Auth},
            [ac](Context& c) { return ac->patch_me(c); });
    r.get("/api/v1/users/me/addresses", {Auth::User},
          [ad](Context& c) { return ad->list_addresses(c); });
    r.post("/api/v1/users/me/addresses", {Auth::User, RateClass::Write},
           [ad](Context& c) { return ad->create_address(c); });
    r.get("/api/v1/users/me/addresses/{id}", {Auth::User},
          [ad](Context& c) { return ad->get_address(c); });
    r.del("/api/v1/users/me/addresses/{id}", {Auth::User, RateClass::Write},
          [ad](Context& c) { return ad->delete_address(c); });

    r.get("/api/v1/users", {.auth = Auth::Admin, .scope = http::Scope::CustomersRead},
          [ac](Context& c) { return ac->list_users(c); });
    // Roles and API keys name no scope: no API key reaches them.
    r.patch("/api/v1/users/{id}", {Auth::Admin, RateClass::Write},
            [ac](Context& c) { return ac->patch_user(c); });

    ApiKeyHandlers* k = &impl_->api_key_handlers;
    r.post("/api/v1/api-keys", {Auth::Admin, RateClass::Write}, [k](Context& c) { return k->create(c); });
    r.get("/api/v1/api-keys", {Auth::Admin}, [k](Context& c) { return k->list(c); });
    r.del("/api/v1/api-keys/{id}", {Auth::Admin, RateClass::Write}, [k](Context& c) { return k->revoke(c); });
}

std::string_view UserModule::openapi() const {
    return kOpenapi;
}

void UserModule::start() {
    Impl* i = impl_.get();
    i->jwt.set_secret(resolve_jwt_secret(i->auth_settings.jwt_secret, i->rt.db, i->users));
    i->jwt.end_tokens_by([i](std::string_view user_id) {
        return i->rt.db.read([&](db::Conn& c) { return i->users.token_generation(c, user_id); });
    });
    // The dummy hash for unknown emails exists before the first sign-in, so that one is not
    // slower than the rest.
    i->hasher.prepare();
    bootstrap_admin(i->auth_settings, i->accounts);
    if (i->mail_settings.enabled()) {
        const auto& m = i->mail_settings;
        const std::string trust = m.ca_file.empty() ? "" : ", trusting the certificates in " + m.ca_file;
        if (m.tls() == SmtpTls::None)  // chosen with smtp_starttls=off, and worth seeing
            log::warn("mail: sending through {} as {} ({}{})", m.safe_url(), m.from_address(), describe(m.tls()), trust);
        else
            log::info("mail: sending through {} as {} ({}{})", m.safe_url(), m.from_address(), describe(m.tls()), trust);
    } else {
        log::info("mail: SHOPD_SMTP_URL is not set; no e-mail is sent");
    }
    i->mail_feed.catch_up(i->rt.db, i->mail_projection.projection());
}

void UserModule::jobs(core::Scheduler& scheduler) {
    Impl* i = impl_.get();
    scheduler.every(std::chrono::minutes(10), [i] {
        i->limiter.purge();
        i->auth.purge_expired();
        i->resets.purge_expired();
    });
    if (!i->sender) return;
    // Mail leaves within a second of its cause; the outbox keeps what was sent a while.
    scheduler.every(std::chrono::seconds(1), [i] { i->sender->run(); });
    scheduler.every(std::chrono::hours(1), [i] { i->outbox.purge(kMailKind, std::chrono::hours(24 * 7)); });
}

void UserModule::stop() {
    if (impl_->sender) impl_->sender->stop();
}

std::optional<int> UserModule::command(std::string_view name, const std::map<std::string, std::string>& args) {
    if (name != "user create") return std::nullopt;
    return create_user_command(impl_->accounts, args);
}

Tables UserModule::tables() const {
    return {{"users", "user_secrets", "refresh_tokens", "login_failures", "addresses", "api_keys", "password_resets"},
            {},
            {}};
}

}  // namespace shop::user
