#include "api_key_handlers.hpp"

#include <set>

#include "shop/core/time.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"
#include "user_handlers.hpp"

namespace shop::user {

using nlohmann::json;

namespace {
// A non-empty list of distinct scope names this server knows.
std::vector<http::Scope> read_scopes(http::Fields& f) {
    std::vector<http::Scope> out;
    auto list = f.opt_array("scopes");
    if (!list) {
        if (!f.has("scopes")) f.error("scopes", "is required");
        return out;
    }
    if (list->empty()) f.error("scopes", "must name at least one scope");
    if (list->size() > 32) {
        f.error("scopes", "has more entries than there are scopes");
        return out;
    }
    std::set<http::Scope> seen;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& s = (*list)[i];
        const std::string field = "scopes[" + std::to_string(i) + "]";
        auto scope = s.is_string() ? http::scope_from_string(s.get_ref<const std::string&>()) : std::nullopt;
        if (!scope)
            f.error(field,
                    "must be one of catalog:read, catalog:write, orders:read, orders:write, customers:read, "
                    "analytics:read, webhooks:write, settings:write");
        else if (!seen.insert(*scope).second)
            f.error(field, "is in the list already");
        else
            out.push_back(*scope);
    }
    return out;
}
}  // namespace

json api_key_json(const ApiKey& k) {
    json scopes = json::array();
    for (http::Scope s : k.scopes) scopes.push_back(std::string(http::to_string(s)));
    return {{"id", k.id},
            {"name", k.name},
            {"scopes", std::move(scopes)},
            {"created_at", core::format_rfc3339(k.created_at_ms)},
            {"last_used_at", k.last_used_at_ms ? json(core::format_rfc3339(*k.last_used_at_ms)) : json(nullptr)}};
}

http::Response ApiKeyHandlers::create(http::Context& c) {
    const json body = c.json_body();
    http::Fields f(body);
    f.only({"name", "scopes"});
    std::string name = f.string("name", {.min = 1, .max = kApiKeyNameMax});
    std::vector<http::Scope> scopes = read_scopes(f);
    f.done();
    IssuedApiKey issued = keys_.create({std::move(name), std::move(scopes)}, c.user().user_id);
    json out = api_key_json(issued.key);
    out["key"] = std::move(issued.secret);
    http::Response r = http::Response::json(201, out);
    // The key is in this body and nowhere else: no cache may keep a copy.
    r.set_header("Cache-Control", "no-store");
    return r;
}

http::Response ApiKeyHandlers::list(http::Context& c) {
    http::Page page = http::parse_page(c.request());
    auto keys = keys_.list(list_key(page), page.limit + 1);
    return http::Response::json(http::page_of(
        std::move(keys), page.limit,
        [](const ApiKey& k) { return http::keyset_position({k.created_at_ms, k.id}); }, api_key_json));
}

http::Response ApiKeyHandlers::revoke(http::Context& c) {
    keys_.revoke(c.param("id"));
    return http::Response::no_content();
}

}  // namespace shop::user
