#pragma once
// The gateway owns everything a request meets before and after a module's handler:
// request id, client address, CORS, routing (404/405), rate limits, auth, dispatch to the
// worker pool, error mapping, metrics and the access log. It knows nothing of sockets:
// the HTTP server (or a test, or a fuzzer) hands it a Request and gets a Response back.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "gateway/client_address.hpp"
#include "gateway/rate_limiter.hpp"
#include "gateway/router.hpp"
#include "shop/core/config.hpp"
#include "shop/core/metrics.hpp"
#include "shop/core/scheduler.hpp"
#include "shop/http/route.hpp"

namespace shop::gateway {

enum class State { Starting, Ready, Draining };

class Gateway final : public http::Routes {
public:
    using Done = std::function<void(http::Response)>;

    Gateway(const core::Config& config, core::Metrics& metrics, core::Scheduler& workers);

    void add(http::Route route) override;
    void set_token_verifier(const http::TokenVerifier* v) { verifier_ = v; }

    // Called on the event loop. `done` runs exactly once, on the loop or a worker thread.
    void handle(http::Request req, Done done);
    // A response for a request the server could not even parse (400, 413, 431).
    http::Response reject(const std::string& code, const std::string& detail, std::string request_id = {});

    State state() const { return state_.load(); }
    void set_state(State s) { state_.store(s); }
    int in_flight() const { return in_flight_.load(); }
    const Router& router() const { return router_; }
    // The body a request for this method and path may carry: its route's Policy::max_body,
    // or server.max_body. largest_body(): the most any route accepts, the limit the
    // server reads headers with before it knows the route.
    std::int64_t body_limit(http::Method method, std::string_view path) const;
    std::int64_t largest_body() const { return largest_body_; }

private:
    void run(const http::Route& route, http::Request& req, std::vector<std::pair<std::string, std::string>> params,
             http::Response& out);
    void finish(const http::Request& req, const std::string& route, http::Response& res,
                std::chrono::steady_clock::time_point start);
    void add_cors(const http::Request& req, http::Response& res) const;
    std::optional<http::Response> preflight(const http::Request& req) const;
    bool origin_allowed(std::string_view origin) const;

    const core::Config& config_;
    core::Metrics& metrics_;
    core::Scheduler& workers_;
    Router router_;
    RateLimiter limiter_;
    ClientAddress client_address_;
    const http::TokenVerifier* verifier_ = nullptr;
    std::int64_t largest_body_;
    std::atomic<State> state_{State::Starting};
    std::atomic<int> in_flight_{0};
    core::Gauge& in_flight_gauge_;
    core::Histogram& latency_;
};

// X-Request-Id: the client's if it is 1-128 of [A-Za-z0-9-_.:], else a fresh one.
bool valid_request_id(std::string_view id);
std::string new_request_id();

}  // namespace shop::gateway
