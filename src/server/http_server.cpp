#include "server/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <unordered_map>
#include <unordered_set>

#include "shop/core/log.hpp"
#include "shop/http/request.hpp"
#include "gateway/client_address.hpp"
#include "server/request_target.hpp"

namespace shop::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono;

class Session;

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
    asio::io_context& ioc;
    core::ServerConfig cfg;
    gateway::Gateway& gw;
    tcp::acceptor acceptor;
    asio::steady_timer retry_timer;
    std::unordered_set<Session*> sessions;
    gateway::ClientAddress addresses;                   // who is a trusted proxy, and limit keys
    std::unordered_map<std::string, int> per_address;  // open connections by limit key
    bool draining = false;
    core::Gauge& open_gauge;
    core::Counter& refused;

    Impl(asio::io_context& io, const core::ServerConfig& c, gateway::Gateway& g, core::Metrics& m)
        : ioc(io),
          cfg(c),
          gw(g),
          acceptor(io),
          retry_timer(io),
          addresses(c.trusted_proxies),
          open_gauge(m.gauge("shopd_http_connections", "Open client connections")),
          refused(m.counter("shopd_http_connections_refused_total", "Connections closed at once: over the cap")) {}

    void accept();
    void close_idle();
};

// One client connection. Requests on it are answered strictly in order; a pipelined
// request waits in the buffer until the previous response is written.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket s, std::shared_ptr<HttpServer::Impl> srv) : stream_(std::move(s)), srv_(std::move(srv)) {
        beast::error_code ec;
        auto ep = stream_.socket().remote_endpoint(ec);
        if (!ec) {
            auto a = ep.address();
            if (a.is_v6() && a.to_v6().is_v4_mapped()) a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
            peer_ = a.to_string();
        }
        stream_.socket().set_option(tcp::no_delay(true), ec);
    }
    ~Session() {
        srv_->sessions.erase(this);
        if (started_) srv_->open_gauge.add(-1);
        if (!key_.empty())
            if (auto it = srv_->per_address.find(key_); it != srv_->per_address.end() && --it->second <= 0)
                srv_->per_address.erase(it);
    }

    // Counts the connection against its address; false (and nothing counted) when that
    // address holds its share already.
    bool admit() {
        const int cap = srv_->cfg.max_connections_per_address;
        if (cap <= 0 || peer_.empty() || srv_->addresses.trusted(peer_)) return true;
        std::string key = gateway::ClientAddress::limit_key(peer_);
        int& open = srv_->per_address[key];  // cap >= 1, so a new entry is never refused
        if (open >= cap) return false;
        ++open;
        key_ = std::move(key);
        return true;
    }

    void start() {
        started_ = true;
        srv_->sessions.insert(this);
        srv_->open_gauge.add(1);
        wait_for_request();
    }

    bool busy() const { return busy_; }
    void close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.socket().close(ec);
    }

private:
    // Between requests only the idle timeout applies; once the first byte arrives the
    // whole header block must follow within header_timeout (slow-loris defence).
    void wait_for_request() {
        if (buffer_.size() > 0) return read_header();
        stream_.expires_after(milliseconds(srv_->cfg.idle_timeout_ms));
        stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
            self->buffer_.commit(n);
            if (ec) return self->close();
            self->read_header();
        });
    }

    // From its first byte until its response is written, a request is in flight: a drain
    // waits for it instead of cutting it off.
    void read_header() {
        busy_ = true;
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(srv_->cfg.max_header));
        // The route is known only once the header is in: until then, the largest any
        // route accepts (on_header narrows it).
        parser_->body_limit(static_cast<std::uint64_t>(srv_->gw.largest_body()));
        body_limit_ = srv_->gw.largest_body();
        stream_.expires_after(milliseconds(srv_->cfg.header_timeout_ms));
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     self->on_header(ec);
                                 });
    }

    void on_header(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        // A request with a body learns its route's limit (a bodiless GET skips the lookup).
        if (parser_->chunked() || parser_->content_length().value_or(0) > 0) {
            const auto& in = parser_->get();
            std::string_view target(in.target().data(), in.target().size());
            body_limit_ = srv_->gw.body_limit(
                http::method_from_string(std::string_view(in.method_string().data(), in.method_string().size())),
                target.substr(0, target.find('?')));
            if (auto length = parser_->content_length(); length && *length > static_cast<std::uint64_t>(body_limit_))
                return on_read_error(bhttp::error::body_limit);
            parser_->body_limit(static_cast<std::uint64_t>(body_limit_));
        }
        if (parser_->is_done()) return dispatch();
        auto expect = parser_->get()[bhttp::field::expect];
        if (http::iequals(expect, "100-continue")) {
            // curl waits a second for this before sending a larger body.
            static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            stream_.expires_after(milliseconds(srv_->cfg.body_timeout_ms));
            asio::async_write(stream_, asio::buffer(kContinue),
                              [self = shared_from_this()](beast::error_code ec2, std::size_t) {
                                  if (ec2) return self->close();
                                  self->read_body();
                              });
            return;
        }
        read_body();
    }

    void read_body() {
        stream_.expires_after(milliseconds(srv_->cfg.body_timeout_ms));
        bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->on_read_error(ec);
            self->dispatch();
        });
    }

    // The client's X-Request-Id, if it was read before things went wrong.
    std::string incoming_request_id() const {
        // Fields parsed so far are there even when the header block was cut short.
        if (!parser_) return {};
        return std::string(parser_->get()["X-Request-Id"]);
    }

    void on_read_error(beast::error_code ec) {
        if (ec == bhttp::error::header_limit)
            return reply_and_close(srv_->gw.reject("header_too_large", "request headers are too large"));
        if (ec == bhttp::error::body_limit)
            return reply_and_close(srv_->gw.reject("payload_too_large", "request body exceeds " + std::to_string(body_limit_) + " bytes",
                incoming_request_id()));
        if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
            ec == beast::error::timeout || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset)
            return close();
        // Anything else is a malformed request: say so once, then hang up, since we can no
        // longer tell where the next request would start.
        reply_and_close(
            srv_->gw.reject("bad_request", "malformed HTTP request: " + ec.message(), incoming_request_id()));
    }

    void dispatch() {
        auto& in = parser_->get();
        http::Request req;
        req.method = http::method_from_string(std::string_view(in.method_string().data(), in.method_string().size()));
        req.target = std::string(in.target());
        if (!read_target(req.target, req))
            return reply_and_close(srv_->gw.reject("bad_request", "malformed request target", incoming_request_id()));
        for (const auto& f : in) req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        req.body = std::move(in.body());
        req.client_ip = peer_;
        keep_alive_ = in.keep_alive();
        head_ = req.method == http::Method::Head;
        version_ = in.version();
        stream_.expires_never();
        auto ex = stream_.get_executor();
        // The callback may run on a worker thread: it moves its reference to this session
        // into the loop, so the session is never destroyed off the loop.
        srv_->gw.handle(std::move(req), [self = shared_from_this(), ex](http::Response res) mutable {
            asio::post(ex, [self = std::move(self), res = std::move(res)]() mutable {
                self->write(std::move(res), false);
            });
        });
    }

    void reply_and_close(http::Response res) {
        write(std::move(res), true);
    }

    void write(http::Response res, bool close_after) {
        auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
        out->result(static_cast<unsigned>(res.status));
        out->version(version_);
        out->set(bhttp::field::server, "shopd");
        for (auto& [k, v] : res.headers) out->set(k, v);
        bool keep = keep_alive_ && !close_after && !srv_->draining;
        out->keep_alive(keep);
        out->body() = std::move(res.body);
        out->prepare_payload();
        // 204 and 304 carry no body, and RFC 9110 wants no Content-Length: 0 claiming one.
        if (res.status == 204 || res.status == 304) out->erase(bhttp::field::content_length);
        if (head_) {
            auto length = out->body().size();
            out->body().clear();
            out->content_length(length);
        }
        stream_.expires_after(milliseconds(srv_->cfg.body_timeout_ms));
        bhttp::async_write(stream_, *out, [self = shared_from_this(), out, keep](beast::error_code ec, std::size_t) {
            self->busy_ = false;
            if (ec || !keep) return self->close();
            self->head_ = false;
            self->wait_for_request();
        });
    }

    beast::tcp_stream stream_;
    std::shared_ptr<HttpServer::Impl> srv_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::int64_t body_limit_ = 0;  // this request's, once its header is in
    std::string peer_;
    std::string key_;  // the limit key this connection counts against; empty: not counted
    bool started_ = false;
    bool keep_alive_ = true;
    bool head_ = false;
    bool busy_ = false;
    unsigned version_ = 11;
};

void HttpServer::Impl::accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket sock) {
        if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
        if (ec) {
            // Out of file descriptors or the like: back off instead of spinning.
            log::warn("accept failed: {}", ec.message());
            self->retry_timer.expires_after(milliseconds(50));
            self->retry_timer.async_wait([self](beast::error_code) { self->accept(); });
            return;
        }
        if (self->sessions.size() >= static_cast<std::size_t>(self->cfg.max_connections)) {
            self->refused.inc();
            beast::error_code ignored;
            sock.close(ignored);
        } else {
            auto session = std::make_shared<Session>(std::move(sock), self);
            // One address cannot take the whole server's share of connections.
            if (session->admit()) {
                session->start();
            } else {
                self->refused.inc();
                session->close();
            }
        }
        self->accept();
    });
}

void HttpServer::Impl::close_idle() {
    std::vector<Session*> idle;
    for (Session* s : sessions)
        if (!s->busy()) idle.push_back(s);
    for (Session* s : idle) s->close();
}

HttpServer::HttpServer(asio::io_context& ioc, const core::ServerConfig& cfg, gateway::Gateway& gw,
                       core::Metrics& metrics)
    : impl_(std::make_shared<Impl>(ioc, cfg, gw, metrics)) {}

HttpServer::~HttpServer() = default;

unsigned short HttpServer::listen() {
    auto addr = asio::ip::make_address(impl_->cfg.host);
    tcp::endpoint ep(addr, static_cast<unsigned short>(impl_->cfg.port));
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(ep);
    impl_->acceptor.listen(asio::socket_base::max_listen_connections);
    impl_->accept();
    return impl_->acceptor.local_endpoint().port();
}

namespace {
// Polls until no request is in flight or the deadline passes. Meanwhile the server keeps
// accepting, so a probe can see /readyz answer 503; every response now carries
// Connection: close. Then the acceptor and every idle connection are closed.
struct Drainer : std::enable_shared_from_this<Drainer> {
    std::shared_ptr<HttpServer::Impl> impl;
    asio::steady_timer timer;
    steady_clock::time_point until;
    std::function<void()> on_drained;

    Drainer(std::shared_ptr<HttpServer::Impl> i, steady_clock::time_point u, std::function<void()> f)
        : impl(std::move(i)), timer(impl->ioc), until(u), on_drained(std::move(f)) {}

    bool busy() const {
        for (Session* s : impl->sessions)
            if (s->busy()) return true;
        return false;
    }

    void tick() {
        if (busy() && steady_clock::now() < until) {
            timer.expires_after(milliseconds(20));
            timer.async_wait([self = shared_from_this()](beast::error_code) { self->tick(); });
            return;
        }
        if (busy()) log::warn("drain deadline passed with requests still in flight");
        beast::error_code ec;
        impl->acceptor.close(ec);
        impl->close_idle();
        on_drained();
    }
};
}  // namespace

void HttpServer::drain(milliseconds deadline, std::function<void()> on_drained) {
    impl_->draining = true;
    std::make_shared<Drainer>(impl_, steady_clock::now() + deadline, std::move(on_drained))->tick();
}

}  // namespace shop::server
