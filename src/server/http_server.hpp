#pragma once
// The only part of shopd that includes Boost.Beast. It turns bytes into shop::http
// Requests for the gateway and Responses back into bytes, and enforces the transport
// limits: header and body sizes, header/body/idle timeouts, the connection cap.
#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>

#include "gateway/gateway.hpp"
#include "shop/core/config.hpp"
#include "shop/core/metrics.hpp"

namespace shop::server {

class HttpServer {
public:
    HttpServer(boost::asio::io_context& ioc, const core::ServerConfig& cfg, gateway::Gateway& gw,
               core::Metrics& metrics);
    ~HttpServer();

    // Binds and starts accepting; returns the port actually bound (useful with port 0).
    unsigned short listen();
    // Lets requests in flight finish (every response from now on says Connection: close;
    // new connections are still taken meanwhile, so probes can see /readyz turn 503), then
    // stops accepting, closes the idle connections and calls on_drained. Bounded by the
    // deadline. Call on the loop.
    void drain(std::chrono::milliseconds deadline, std::function<void()> on_drained);

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace shop::server
