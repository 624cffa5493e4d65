#pragma once
// What a module declares about each route: its method and path pattern, who may call it,
// which rate-limit class it spends from, and where its handler runs.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "shop/http/request.hpp"
#include "shop/http/response.hpp"

namespace shop::http {

// Optional: a signed-in user or nobody (guest checkout, section 11): no token is a guest,
// a valid token the user, and an invalid or expired one 401, so a buyer whose session
// lapsed is told so instead of quietly becoming a guest.
enum class Auth { Public, User, Admin, Optional };

// Token buckets are kept per client address and class, so a flood of logins cannot
// starve catalogue reads and the other way round.
// Unlimited is for the ops endpoints: a load balancer's health checks must never see 429.
// Checkout: order and payment creation, each of which holds stock or calls the provider.
// Signup: registration, which hashes a password before anything else can refuse it.
enum class RateClass { Default, Auth, Write, Unlimited, Checkout, Signup };

// Handlers run on the worker pool by default: they may touch the database, hash a
// password or call a payment provider. `Loop` is for handlers that only read memory, or
// read one indexed row from a local SQLite file (cheaper than the hop to a worker).
enum class RunOn { Worker, Loop };

// What an API key (section 12) may do. An admin route names the one scope it needs; a
// key without it gets 403 insufficient_scope. None means no key may call the route (the
// API-key routes themselves, user roles, and every customer route: cart, users/me, paying).
enum class Scope {
    None,
    CatalogRead,
    CatalogWrite,
    OrdersRead,
    OrdersWrite,
    CustomersRead,
    AnalyticsRead,
    WebhooksWrite,
    SettingsWrite,
};
std::string_view to_string(Scope s);
std::optional<Scope> scope_from_string(std::string_view s);

enum class Role { Customer, Admin };
std::string_view to_string(Role r);
std::optional<Role> role_from_string(std::string_view s);

struct Principal {
    std::string user_id;  // for an API key, the key's id
    Role role = Role::Customer;
    // Set when the caller presented an API key rather than a user's token: an admin limited
    // to these scopes. The gateway lets it through only to routes whose Policy::scope is
    // among them, so a handler that sees it may treat it as any admin.
    std::optional<std::vector<Scope>> key_scopes = std::nullopt;

    bool is_admin() const { return role == Role::Admin; }
    bool is_api_key() const { return key_scopes.has_value(); }
    // Whether this caller may call a route that names `needed` as its scope: a user's token
    // always (its role decides), an API key only when it holds the scope; Scope::None, no key.
    bool may_use(Scope needed) const;
};

struct Policy {
    Auth auth = Auth::Public;
    RateClass rate = RateClass::Default;
    RunOn run_on = RunOn::Worker;
    std::int64_t max_body = 0;  // bytes this route accepts (image uploads); 0: server.max_body
    // The API-key scope the route needs. On an Auth::Admin route: what a key must hold.
    // On a User or Optional route that also serves admins (an order read by an admin or its
    // owner): a key holding it is let through, and acts as an admin there. None: no key.
    Scope scope = Scope::None;
};

class Context {
public:
    Context(const Request& req, std::vector<std::pair<std::string, std::string>> params,
            std::optional<Principal> principal)
        : req_(req), params_(std::move(params)), principal_(std::move(principal)) {}

    const Request& request() const { return req_; }
    // A path parameter declared as {name} in the route pattern; throws if undeclared.
    const std::string& param(std::string_view name) const;
    const std::optional<Principal>& principal() const { return principal_; }
    // The signed-in caller; a route with Auth::User or Auth::Admin always has one.
    const Principal& user() const;
    // The body parsed as a JSON object; 400 invalid_json otherwise.
    nlohmann::json json_body() const;

private:
    const Request& req_;
    std::vector<std::pair<std::string, std::string>> params_;
    std::optional<Principal> principal_;
};

using Handler = std::function<Response(Context&)>;

struct Route {
    Method method;
    std::string pattern;  // "/api/v1/products/{id}"
    Policy policy;
    Handler handler;
};

// Modules add their routes here during start-up; the gateway owns the table.
class Routes {
public:
    virtual ~Routes() = default;
    virtual void add(Route route) = 0;

    void get(std::string pattern, Policy p, Handler h) { add({Method::Get, std::move(pattern), p, std::move(h)}); }
    void post(std::string pattern, Policy p, Handler h) { add({Method::Post, std::move(pattern), p, std::move(h)}); }
    void put(std::string pattern, Policy p, Handler h) { add({Method::Put, std::move(pattern), p, std::move(h)}); }
    void patch(std::string pattern, Policy p, Handler h) { add({Method::Patch, std::move(pattern), p, std::move(h)}); }
    void del(std::string pattern, Policy p, Handler h) { add({Method::Delete, std::move(pattern), p, std::move(h)}); }
};

// Filled in by the user module: turns a bearer token into a principal, or nullopt when
// the token is missing its signature, expired, or otherwise not to be trusted.
class TokenVerifier {
public:
    static constexpr std::string_view kInterface = "token-verifier";  // its name in composition errors
    virtual ~TokenVerifier() = default;
    virtual std::optional<Principal> verify(std::string_view bearer_token) const = 0;
};

}  // namespace shop::http
