#include "rules.hpp"
#include "shop/http/validate.hpp"
#include "user_handlers.hpp"

namespace shop::user {

using nlohmann::json;

namespace {
// Our tokens are 43 characters; anything much longer is not one of ours.
constexpr std::size_t kMaxResetToken = 512;
}  // namespace

// 202 whether or not an account has the email. A malformed email is 422 like everywhere
// else: it says nothing about which accounts exist.
http::Response ResetHandlers::request(http::Context& c) {
    const json body = c.json_body();
    http::Fields f(body);
    f.only({"email"});
    auto email = read_email(f, body, "email");
    f.done();
    resets_.request(*email);
    http::Response r = http::Response::no_content();
    r.status = 202;  // accepted, with nothing to show: the mail, if any, follows
    return r;
}

// A weak password is the 422 that registration gives; a bad token 400 invalid_token.
http::Response ResetHandlers::confirm(http::Context& c) {
    const json body = c.json_body();
    http::Fields f(body);
    f.only({"token", "password"});
    std::string token = f.string("token", {.min = 1, .max = kMaxResetToken, .trim = false});
    auto password = read_password(f, body, "password", true);
    f.done();
    resets_.confirm(token, *password);
    return http::Response::no_content();
}

}  // namespace shop::user
