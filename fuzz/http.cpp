// The request path without sockets: raw bytes -> Beast's request parser (with the server's
// limits) -> shop::http::Request (as src/server/http_server.cpp builds it) -> the gateway
// with every module composed on a temp SQLite database -> a response, serialised by Beast.
// "Bearer @admin" / "@user" / "@other" in the input stand for real tokens.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "harness.hpp"
#include "server/request_target.hpp"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    shop::fuzz::ids();
    std::size_t off = 0;
    // Up to a few pipelined requests per input, as a keep-alive connection would carry.
    for (int n = 0; n < 4 && off < size; ++n) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(16 * 1024);
        parser.body_limit(1024 * 1024);
        parser.eager(true);
        boost::beast::error_code ec;
        std::size_t used = 0;
        while (!parser.is_done()) {
            std::size_t got = parser.put(boost::asio::buffer(data + off + used, size - off - used), ec);
            used += got;
            if (ec == bhttp::error::need_more) {
                // All the input is given each time, so "more" means the connection closed.
                ec = {};
                parser.put_eof(ec);
                break;
            }
            if (ec || got == 0) break;
        }
        if (ec || !parser.is_done()) return 0;  // the server answers 400/413/431 or closes
        off += used;

        auto& msg = parser.get();
        shop::http::Request req;
        req.method = shop::http::method_from_string(std::string_view(msg.method_string().data(), msg.method_string().size()));
        req.target = shop::fuzz::with_ids(std::string(msg.target()));
        if (!shop::server::read_target(req.target, req)) return 0;  // 400 by the server
        for (const auto& f : msg) req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        req.body = std::move(msg.body());
        req.client_ip = "127.0.0.1";

        shop::http::Response res = shop::fuzz::call(std::move(req));

        bhttp::response<bhttp::string_body> out;
        out.result(static_cast<unsigned>(res.status));
        out.version(11);
        for (auto& [k, v] : res.headers) out.set(k, v);
        out.body() = std::move(res.body);
        out.prepare_payload();
        std::ostringstream wire;
        wire << out;
    }
    return 0;
}
