#pragma once
// The user module: accounts, sign-in, tokens, roles, addresses (API.md section 3), and the
// bearer-token check the gateway uses for every protected route.
#include <memory>

#include "shop/api/users.hpp"
#include "shop/module.hpp"

namespace shop::user {

class UserModule final : public Module {
public:
    // Reads the auth and mail settings (ConfigError for a bad one) and offers api::Users and
    // the gateway's http::TokenVerifier (valid at once; it accepts tokens once start() has
    // loaded the secret). Needs api::Orders later, for the buyers' mails.
    explicit UserModule(Runtime& rt);
    ~UserModule() override;

    std::string_view name() const override { return "user"; }
    void migrations(db::Migrator& m) override;
    Tables tables() const override;
    void routes(http::Routes& r) override;
    // The mail projection: buyers' mails queued in the transactions of their events.
    void subscribe(events::EventBus& bus) override;
    std::string_view openapi() const override;
    // Loads (or generates) the JWT secret and creates the configured admin when missing.
    void start() override;
    // Purges old sign-in failures, expired sessions and reset tokens; sends the queued
    // mail when SHOPD_SMTP_URL is set.
    void jobs(core::Scheduler& scheduler) override;
    // Lets a mail being sent finish, and sends no more.
    void stop() override;
    // "user create" with args email, password, admin ("true"/"false"): 0, or 2 on bad input.
    std::optional<int> command(std::string_view name, const std::map<std::string, std::string>& args) override;


private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace shop::user
