#include "user_handlers.hpp"
#include "rules.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::user {

using nlohmann::json;

json user_json(const User& u) {
    return {{"id", u.id},
            {"email", u.email},
            {"name", u.name},
            {"role", std::string(http::to_string(u.role))},
            {"created_at", core::format_rfc3339(u.created_at_ms)}};
}

std::optional<ListKey> list_key(const http::Page& page) {
    auto k = http::keyset_after(page);
    if (!k) return std::nullopt;
    return ListKey{k->at, std::move(k->id)};
}

http::Response AccountHandlers::register_user(http::Context& c) {
    const json body = c.json_body();
    http::Fields f(body);
    f.only({"email", "password", "name"});
    auto email = read_email(f, body, "email");
    auto password = read_password(f, body, "password", true);
    auto name = f.opt_string("name", {.max = kNameMax});
    f.done();
    User u = accounts_.create({*email, *password, name.value_or(""), http::Role::Customer});
    return http::Response::json(201, user_json(u));
}

http::Response AccountHandlers::get_me(http::Context& c) {
    auto u = accounts_.find(c.user().user_id);
    if (!u) throw Error::unauthorized("this account no longer exists");
    return http::Response::json(user_json(*u));
}

http::Response AccountHandlers::patch_me(http::Context& c) {
    const json body = c.json_body();
    http::Fields f(body);
    // Everything else (role, email, id) is refused rather than ignored: no mass assignment.
    f.only({"name", "password", "current_password"});
    ProfileChange change;
    change.name = f.opt_string("name", {.max = kNameMax});
    change.password = read_password(f, body, "password", false);
    change.current_password = f.opt_string("current_password", {.max = 4 * kPasswordMax, .trim = false});
    if (f.has("password") && !f.has("current_password"))
        f.error("current_password", "is required to change the password");
    f.done();
    User u = accounts_.update_profile(c.user().user_id, change, c.request().limit_key());
    return http::Response::json(user_json(u));
}

http::Response AccountHandlers::list_users(http::Context& c) {
    http::Page page = http::parse_page(c.request());
    auto users = accounts_.list(list_key(page), page.limit + 1);
    return http::Response::json(http::page_of(
        std::move(users), page.limit, [](const User& u) { return http::keyset_position({u.created_at_ms, u.id}); },
        user_json));
}

http::Response AccountHandlers::patch_user(http::Context& c) {
    const json body = c.json_body();
    http::Fields f(body);
    f.only({"role"});
    std::string role_name = f.string("role", {.min = 1, .max = 32});
    auto role = http::role_from_string(role_name);
    if (f.ok() && !role) f.error("role", "must be customer or admin");
    f.done();
    return http::Response::json(user_json(accounts_.change_role(c.param("id"), *role)));
}

}  // namespace shop::user
