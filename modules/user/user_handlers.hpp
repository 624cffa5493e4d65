#pragma once
// HTTP <-> JSON for API.md section 3: each handler reads and checks the request, calls a
// service and renders the contract's JSON. The route table (paths and policies) is in
// user_module.cpp; the shape is the same in every module (docs/modules.md).
#include <nlohmann/json.hpp>

#include "account_service.hpp"
#include "address_service.hpp"
#include "auth_service.hpp"
#include "password_reset.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"

namespace shop::user {

// {id, email, name, role, created_at}: never a password or its hash.
nlohmann::json user_json(const User& u);
// The list position a ?cursor= names (422 if it is not one of ours).
std::optional<ListKey> list_key(const http::Page& page);

class AccountHandlers {
public:
    explicit AccountHandlers(AccountService& accounts) : accounts_(accounts) {}

    http::Response register_user(http::Context& c);
    http::Response get_me(http::Context& c);
    http::Response patch_me(http::Context& c);
    http::Response list_users(http::Context& c);
    http::Response patch_user(http::Context& c);

private:
    AccountService& accounts_;
};

class AuthHandlers {
public:
    explicit AuthHandlers(AuthService& auth) : auth_(auth) {}

    http::Response login(http::Context& c);
    http::Response refresh(http::Context& c);
    http::Response logout(http::Context& c);

private:
    AuthService& auth_;
};

// Password reset (section 12).
class ResetHandlers {
public:
    explicit ResetHandlers(PasswordReset& resets) : resets_(resets) {}

    http::Response request(http::Context& c);
    http::Response confirm(http::Context& c);

private:
    PasswordReset& resets_;
};

class AddressHandlers {
public:
    explicit AddressHandlers(AddressService& addresses) : addresses_(addresses) {}

    http::Response list_addresses(http::Context& c);
    http::Response get_address(http::Context& c);
    http::Response create_address(http::Context& c);
    http::Response delete_address(http::Context& c);

private:
    AddressService& addresses_;
};

}  // namespace shop::user
