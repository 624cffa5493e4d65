#pragma once
// HTTP <-> JSON for API.md section 3. Each function reads the request, calls a service and
// renders the answer; the routes and their policies are declared in user_module.cpp.
#include <nlohmann/json.hpp>

#include "account_service.hpp"
#include "address_service.hpp"
#include "auth_service.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"

namespace shop::user::handlers {

// {id, email, name, role, created_at}: never a password or its hash.
nlohmann::json user_json(const User& u);
// The list position a ?cursor= names (422 if it is not one of ours), and the cursor
// position for a key: [created_at_ms, id].
std::optional<ListKey> cursor_key(const http::Page& page);
nlohmann::json cursor_position(std::int64_t created_at_ms, const std::string& id);

http::Response register_user(http::Context& c, AccountService& accounts);
http::Response get_me(http::Context& c, AccountService& accounts);
http::Response patch_me(http::Context& c, AccountService& accounts);
http::Response list_users(http::Context& c, AccountService& accounts);
http::Response patch_user(http::Context& c, AccountService& accounts);

http::Response login(http::Context& c, AuthService& auth);
http::Response refresh(http::Context& c, AuthService& auth);
http::Response logout(http::Context& c, AuthService& auth);

http::Response list_addresses(http::Context& c, AddressService& addresses);
http::Response get_address(http::Context& c, AddressService& addresses);
http::Response create_address(http::Context& c, AddressService& addresses);
http::Response delete_address(http::Context& c, AddressService& addresses);

}  // namespace shop::user::handlers
