#include "handlers.hpp"
#include "rules.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::user::handlers {

using nlohmann::json;

json user_json(const User& u) {
    return {{"id", u.id},
            {"email", u.email},
            {"name", u.name},
            {"role", std::string(http::to_string(u.role))},
            {"created_at", core::format_rfc3339(u.created_at_ms)}};
}

std::optional<ListKey> cursor_key(const http::Page& page) {
    if (!page.after) return std::nullopt;
    const json& a = *page.after;
    if (!a.is_array() || a.size() != 2 || !a[0].is_number_integer() || !a[1].is_string())
        throw Error::validation("cursor", "is not a cursor this server issued");
    return ListKey{a[0].get<std::int64_t>(), a[1].get<std::string>()};
}

json cursor_position(std::int64_t created_at_ms, const std::string& id) {
    return json::array({created_at_ms, id});
}

http::Response register_user(http::Context& c, AccountService& accounts) {
    const json body = c.json_body();
    http::Fields f(body);
    f.only({"email", "password", "name"});
    auto email = read_email(f, body, "email");
    auto password = read_password(f, body, "password", true);
    auto name = f.opt_string("name", {.max = kNameMax});
    f.done();
    User u = accounts.create({*email, *password, name.value_or(""), http::Role::Customer});
    return http::Response::json(201, user_json(u));
}

http::Response get_me(http::Context& c, AccountService& accounts) {
    auto u = accounts.find(c.user().user_id);
    if (!u) throw Error::unauthorized("this account no longer exists");
    return http::Response::json(user_json(*u));
}

http::Response patch_me(http::Context& c, AccountService& accounts) {
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
    User u = accounts.update_profile(c.user().user_id, change, c.request().client_ip);
    return http::Response::json(user_json(u));
}

http::Response list_users(http::Context& c, AccountService& accounts) {
    http::Page page = http::parse_page(c.request());
    auto users = accounts.list(cursor_key(page), page.limit + 1);
    std::optional<json> next;
    if (users.size() > static_cast<std::size_t>(page.limit)) {
        users.resize(static_cast<std::size_t>(page.limit));
        next = cursor_position(users.back().created_at_ms, users.back().id);
    }
    json items = json::array();
    for (const auto& u : users) items.push_back(user_json(u));
    return http::Response::json(http::page_body(std::move(items), next));
}

http::Response patch_user(http::Context& c, AccountService& accounts) {
    const json body = c.json_body();
    http::Fields f(body);
    f.only({"role"});
    std::string role_name = f.string("role", {.min = 1, .max = 32});
    auto role = http::role_from_string(role_name);
    if (f.ok() && !role) f.error("role", "must be customer or admin");
    f.done();
    return http::Response::json(user_json(accounts.change_role(c.param("id"), *role)));
}

}  // namespace shop::user::handlers
