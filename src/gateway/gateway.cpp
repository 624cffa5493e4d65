#include "gateway/gateway.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>

#include "gateway/problem.hpp"
#include "shop/core/log.hpp"
#include "shop/core/error.hpp"

namespace shop::gateway {

using Clock = std::chrono::steady_clock;

bool valid_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '_' || c == '.' || c == ':';
        if (!ok) return false;
    }
    return true;
}

std::string new_request_id() {
    // Request ids need to be unique, not secret: a per-thread PRNG is plenty and cheap.
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return fmt::format("req_{:016x}", rng());
}

Gateway::Gateway(const core::Config& config, core::Metrics& metrics, core::Scheduler& workers)
    : config_(config),
      metrics_(metrics),
      workers_(workers),
      limiter_({config.rate_limit.rps, config.rate_limit.burst},
               {config.rate_limit.rps > 0 ? config.rate_limit.auth_rps : 0, config.rate_limit.auth_burst}),
      client_address_(config.server.trusted_proxies),
      largest_body_(config.server.max_body),
      in_flight_gauge_(metrics.gauge("shopd_http_requests_in_flight", "Requests being handled now")),
      latency_(metrics.histogram("shopd_http_request_duration_seconds", "Time from request parsed to response ready",
                                 {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5})) {
    // SHOPD_RATE_LIMIT_RPS=0 turns every general limit off, these classes too.
    const auto& rl = config.rate_limit;
    const bool on = rl.rps > 0;
    limiter_.set(http::RateClass::Checkout, {on ? rl.checkout_rps : 0, rl.checkout_burst});
    limiter_.set(http::RateClass::Signup, {on ? rl.signup_rps : 0, rl.signup_burst});
}

void Gateway::add(http::Route route) {
    largest_body_ = std::max(largest_body_, route.policy.max_body);
    router_.add(std::move(route));
}

std::int64_t Gateway::body_limit(http::Method method, std::string_view path) const {
    Match m = router_.match(method, path);
    if (m.route && m.route->policy.max_body > 0) return m.route->policy.max_body;
    return config_.server.max_body;
}

bool Gateway::origin_allowed(std::string_view origin) const {
    for (const auto& o : config_.server.cors_origins)
        if (o == "*" || o == origin) return true;
    return false;
}

void Gateway::add_cors(const http::Request& req, http::Response& res) const {
    auto origin = req.header("Origin");
    if (!origin || !origin_allowed(*origin)) return;
    res.set_header("Access-Control-Allow-Origin", std::string(*origin));
    // Added to a Vary the handler set (the storefront varies by Accept-Encoding), not in its place.
    auto vary = res.header("Vary");
    res.set_header("Vary", vary ? std::string(*vary) + ", Origin" : std::string("Origin"));
    res.set_header("Access-Control-Expose-Headers",
                   "X-Request-Id, ETag, Location, Retry-After, Idempotent-Replayed, WWW-Authenticate");
}

std::optional<http::Response> Gateway::preflight(const http::Request& req) const {
    if (req.method != http::Method::Options) return std::nullopt;
    auto origin = req.header("Origin");
    if (!origin || !req.header("Access-Control-Request-Method") || !origin_allowed(*origin)) return std::nullopt;
    http::Response r = http::Response::no_content();
    r.set_header("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE");
    r.set_header("Access-Control-Allow-Headers",
                 "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, X-Request-Id");
    r.set_header("Access-Control-Max-Age", "600");
    return r;
}

http::Response Gateway::reject(const std::string& code, const std::string& detail, std::string request_id) {
    if (!valid_request_id(request_id)) request_id = new_request_id();
    // Transport-level refusals (431, 413, 400) come from the server before any route.
    http::Response r = problem_response(Error(code, detail), request_id);
    r.set_header("X-Request-Id", request_id);
    metrics_.counter("shopd_http_requests_total", "HTTP requests by route, method and status",
                     fmt::format(R"(route="unparsed",method="",status="{}")", r.status))
        .inc();
    log::write(log::Level::Info, "request", {{"id", request_id}, {"status", r.status}, {"code", code}});
    return r;
}

void Gateway::handle(http::Request req, Done done) {
    auto start = Clock::now();
    auto incoming = req.header("X-Request-Id");
    req.request_id = incoming && valid_request_id(*incoming) ? std::string(*incoming) : new_request_id();
    // Every X-Forwarded-For line counts: a client could otherwise add a line of its own
    // before the one its proxy appended, and be believed.
    const auto forwarded_for = req.header_list("X-Forwarded-For");
    req.client_ip = client_address_.resolve(req.client_ip, forwarded_for);
    req.client_key = ClientAddress::limit_key(req.client_ip);

    auto answer_now = [&](http::Response res, const std::string& route) {
        finish(req, route, res, start);
        done(std::move(res));
    };

    if (auto pre = preflight(req)) return answer_now(std::move(*pre), "preflight");

    Match m = req.segments ? router_.match(req.method, *req.segments) : router_.match(req.method, req.path);
    if (!m.route) {
        if (m.path_found) {
            http::Response r = problem_response(
                Error("method_not_allowed", fmt::format("{} is not allowed here", http::to_string(req.method))),
                req.request_id);
            r.set_header("Allow", allow_header(m.allowed));
            return answer_now(std::move(r), "unmatched");
        }
        return answer_now(problem_response(Error::not_found("no such path"), req.request_id), "unmatched");
    }
    const http::Route& route = *m.route;

    if (int wait = limiter_.check(req.client_key, route.policy.rate)) {
        Error e("rate_limited", "too many requests; slow down");
        e.with_retry_after(wait);
        return answer_now(problem_response(e, req.request_id), route.pattern);
    }

    in_flight_.fetch_add(1);
    in_flight_gauge_.add(1);
    if (route.policy.run_on == http::RunOn::Loop) {
        http::Response res;
        run(route, req, std::move(m.params), res);
        in_flight_.fetch_sub(1);
        in_flight_gauge_.add(-1);
        return answer_now(std::move(res), route.pattern);
    }
    workers_.post([this, &route, req = std::move(req), params = std::move(m.params), done = std::move(done),
                   start]() mutable {
        http::Response res;
        run(route, req, std::move(params), res);
        finish(req, route.pattern, res, start);
        in_flight_.fetch_sub(1);
        in_flight_gauge_.add(-1);
        done(std::move(res));
    });
}

void Gateway::run(const http::Route& route, http::Request& req,
                  std::vector<std::pair<std::string, std::string>> params, http::Response& out) {
    try {
        std::optional<http::Principal> principal;
        auto authz = req.header("Authorization");
        std::string_view token;
        if (authz && authz->size() > 7 && http::iequals(authz->substr(0, 7), "Bearer ")) token = authz->substr(7);
        // Public routes never look at the caller: a token there is not checked (checking one
        // reads the database: an API key, or a user's token generation).
        if (!token.empty() && verifier_ && route.policy.auth != http::Auth::Public)
            principal = verifier_->verify(token);
        const bool needs_user = route.policy.auth == http::Auth::User || route.policy.auth == http::Auth::Admin;
        const bool bad_token = route.policy.auth == http::Auth::Optional && !token.empty();
        if ((needs_user || bad_token) && !principal) {
            out = problem_response(Error::unauthorized(token.empty() ? "a bearer token is required"
                                                                     : "the bearer token is invalid or expired"),
                                   req.request_id);
            if (!token.empty()) out.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return;
        }
        if (principal && !principal->may_use(route.policy.scope))
            throw Error("insufficient_scope",
                        route.policy.scope == http::Scope::None
                            ? std::string("API keys cannot call this route")
                            : fmt::format("this API key lacks the {} scope", http::to_string(route.policy.scope)));
        if (route.policy.auth == http::Auth::Admin && !principal->is_admin())
            throw Error::forbidden("this route is for administrators");
        http::Context ctx(req, std::move(params), std::move(principal));
        out = route.handler(ctx);
    } catch (...) {
        out = response_for_exception(std::current_exception(), req.request_id);
    }
}

void Gateway::finish(const http::Request& req, const std::string& route, http::Response& res,
                     Clock::time_point start) {
    res.set_header("X-Request-Id", req.request_id);
    add_cors(req, res);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
    latency_.observe(static_cast<double>(us) / 1e6);
    metrics_
        .counter("shopd_http_requests_total", "HTTP requests by route, method and status",
                 fmt::format(R"(route="{}",method="{}",status="{}")", route, http::to_string(req.method), res.status))
        .inc();
    if (log::enabled(log::Level::Info)) {
        log::write(log::Level::Info, "request",
                   {{"id", req.request_id},
                    {"method", http::to_string(req.method)},
                    {"route", route},
                    {"status", res.status},
                    {"bytes", res.body.size()},
                    {"us", us},
                    {"client", req.client_ip}});
    }
}

}  // namespace shop::gateway
