#pragma once
// The whole shop, composed as main() composes it (app/compose.hpp), on a temp SQLite
// database, driven through Gateway::handle without sockets. Shared by the fuzz targets
// that go through the gateway; built once per process (libFuzzer runs many inputs in one).
#include <string>

#include "shop/http/request.hpp"
#include "shop/http/response.hpp"

namespace shop::fuzz {

struct Ids {
    std::string admin_token, user_token, other_token;
    std::string product_id, category_id, order_id, payment_id, address_id, user_id;
    std::string refresh_token;
};

// Starts the shop on first use and seeds one of everything (see Ids).
const Ids& ids();

// Fills client_ip if empty, swaps the placeholder tokens "Bearer @admin", "Bearer @user"
// and "Bearer @other" for real ones, handles the request and waits for the response.
// Aborts (a fuzzer crash) on a 5xx other than 503, or a header carrying CR, LF or NUL.
http::Response call(http::Request req);

// A request with the given method, path (may contain ?query) and body.
http::Request make(http::Method m, std::string target, std::string body = {}, std::string bearer = {});

// Replaces {product} {category} {order} {payment} {address} {user} in s by the seeded ids.
std::string with_ids(std::string s);

}  // namespace shop::fuzz
