#pragma once
// The user module: accounts, sign-in, tokens, roles, addresses (API.md section 3), and the
// bearer-token check the gateway uses for every protected route.
#include <memory>

#include "shop/api/users.hpp"
#include "shop/module.hpp"

namespace shop::user {

class UserModule final : public Module {
public:
    explicit UserModule(Runtime& rt);
    ~UserModule() override;

    std::string_view name() const override { return "user"; }
    void migrations(db::Migrator& m) override;
    void routes(http::Routes& r) override;
    std::string_view openapi() const override;
    void start() override;

    const http::TokenVerifier& verifier() const;
    api::Users& users();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace shop::user
