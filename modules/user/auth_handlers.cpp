#include "user_handlers.hpp"
#include "rules.hpp"
#include "shop/http/validate.hpp"

namespace shop::user {

using nlohmann::json;

namespace {
// Long enough for any password we accept; longer input cannot match and is refused early.
constexpr std::size_t kMaxSecretInput = 4 * kPasswordMax;
constexpr std::size_t kMaxRefreshToken = 512;

http::Response session_response(const Session& s) {
    http::Response r = http::Response::json({{"access_token", s.access_token},
                                             {"token_type", "Bearer"},
                                             {"expires_in", s.expires_in},
                                             {"refresh_token", s.refresh_token},
                                             {"user", user_json(s.user)}});
    // Tokens must not be kept by caches on the way (RFC 6749 section 5.1).
    r.set_header("Cache-Control", "no-store");
    return r;
}

std::string read_refresh_token(http::Context& c) {
    const json body = c.json_body();
    http::Fields f(body);
    f.only({"refresh_token"});
    std::string token = f.string("refresh_token", {.min = 1, .max = kMaxRefreshToken, .trim = false});
    f.done();
    return token;
}
}  // namespace

http::Response AuthHandlers::login(http::Context& c) {
    const json body = c.json_body();
    http::Fields f(body);
    f.only({"email", "password"});
    std::string email = f.string("email", {.min = 1, .max = 320});
    std::string password = f.string("password", {.min = 1, .max = kMaxSecretInput, .trim = false});
    f.done();
    return session_response(auth_.login(normalize_email(email), password, c.request().limit_key()));
}

http::Response AuthHandlers::refresh(http::Context& c) {
    return session_response(auth_.refresh(read_refresh_token(c)));
}

http::Response AuthHandlers::logout(http::Context& c) {
    auth_.logout(read_refresh_token(c));
    return http::Response::no_content();
}

}  // namespace shop::user
