#include <nlohmann/json.hpp>

#include "shop/core/error.hpp"
#include "shop/core/text.hpp"
#include "shop/http/route.hpp"

namespace shop::http {

namespace {
// nlohmann's parser is iterative, but destroying a value recurses; refuse absurd nesting
// before parsing so hostile bodies cannot exhaust the stack.
constexpr int kMaxJsonDepth = 64;

bool nesting_within(std::string_view s, int limit) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') {
            if (++depth > limit) return false;
        } else if (c == '}' || c == ']') --depth;
    }
    return true;
}
}  // namespace

std::string_view to_string(Role r) { return r == Role::Admin ? "admin" : "customer"; }

std::optional<Role> role_from_string(std::string_view s) {
    if (s == "admin") return Role::Admin;
    if (s == "customer") return Role::Customer;
    return std::nullopt;
}

namespace {
constexpr std::pair<Scope, std::string_view> kScopeNames[] = {
    {Scope::CatalogRead, "catalog:read"},     {Scope::CatalogWrite, "catalog:write"},
    {Scope::OrdersRead, "orders:read"},       {Scope::OrdersWrite, "orders:write"},
    {Scope::CustomersRead, "customers:read"}, {Scope::AnalyticsRead, "analytics:read"},
    {Scope::WebhooksWrite, "webhooks:write"}, {Scope::SettingsWrite, "settings:write"},
};
}  // namespace

std::string_view to_string(Scope s) {
    for (const auto& [scope, name] : kScopeNames)
        if (scope == s) return name;
    return "none";
}

std::optional<Scope> scope_from_string(std::string_view s) {
    for (const auto& [scope, name] : kScopeNames)
        if (name == s) return scope;
    return std::nullopt;
}

bool Principal::may_use(Scope needed) const {
    if (!key_scopes) return true;
    if (needed == Scope::None) return false;
    for (Scope s : *key_scopes)
        if (s == needed) return true;
    return false;
}

const std::string& Context::param(std::string_view name) const {
    for (const auto& [k, v] : params_) {
        if (k != name) continue;
        if (!core::storable_text(v))
            throw Error("invalid_text", "the path must be UTF-8 text without the NUL character (U+0000)");
        return v;
    }
    throw std::logic_error("route has no parameter " + std::string(name));
}

const Principal& Context::user() const {
    if (!principal_) throw Error::unauthorized();
    return *principal_;
}

nlohmann::json Context::json_body() const {
    const std::string& body = req_.body;
    if (body.empty()) throw Error("invalid_json", "request body must be a JSON object");
    if (!nesting_within(body, kMaxJsonDepth))
        throw Error("invalid_json", "JSON nested too deeply");
    nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded()) throw Error("invalid_json", "request body is not valid JSON");
    if (!j.is_object()) throw Error::validation("body", "must be a JSON object");
    // The parser has refused invalid UTF-8 already; U+0000 is valid JSON but no text a
    // backend stores.
    if (!core::storable_json_text(j))
        throw Error("invalid_text", "text must be valid UTF-8 without the NUL character (U+0000)");
    return j;
}

}  // namespace shop::http
