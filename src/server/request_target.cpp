#include "server/request_target.hpp"

#include <boost/url/parse.hpp>

#include <string>

namespace shop::server {

namespace {
// RFC 3986 leaves out characters that clients still send raw in paths ("{", "|", "^", "\"", bytes
// over 0x7f, ...); servers take them, and so do we, by escaping them before the strict
// parse. A "%" stays as it is: its escape must be well formed.
bool allowed_raw(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("-._~!$&'()*+,;=:@/%").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string escaped(std::string_view target) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(target.size());
    for (unsigned char c : target) {
        if (allowed_raw(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}
}  // namespace

bool read_target(std::string_view target, http::Request& req) {
    // The query is taken as sent: its parameters are decoded one by one by their readers,
    // which answer a malformed one as they see fit (a bad cursor is a 422, not a 400).
    const auto q = target.find('?');
    const std::string path = escaped(target.substr(0, q));
    auto url = boost::urls::parse_origin_form(path);
    if (!url || url->has_query()) return false;
    req.path = url->path();
    req.segments.emplace();
    for (auto seg : url->segments()) req.segments->push_back(seg);
    req.query_string = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
    return true;
}

}  // namespace shop::server
