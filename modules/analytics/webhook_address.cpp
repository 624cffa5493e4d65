#include "webhook_address.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include "shop/http/validate.hpp"

namespace shop::analytics {

namespace {

bool public_v4(std::uint32_t a) {  // host byte order
    auto in = [a](std::uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
    return !(in(0x00000000, 8)      // 0.0.0.0/8: unspecified, "this network"
             || in(0x0A000000, 8)   // 10/8
             || in(0x64400000, 10)  // 100.64/10: shared (CGNAT)
             || in(0x7F000000, 8)   // 127/8: loopback
             || in(0xA9FE0000, 16)  // 169.254/16: link-local (cloud metadata)
             || in(0xAC100000, 12)  // 172.16/12
             || in(0xC0000000, 24)  // 192.0.0/24: protocol assignments
             || in(0xC0A80000, 16)  // 192.168/16
             || in(0xC6120000, 15)  // 198.18/15: benchmarking
             || in(0xE0000000, 4)   // 224/4: multicast
             || in(0xF0000000, 4)); // 240/4: reserved, and 255.255.255.255 broadcast
}

std::uint32_t v4_at(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

bool public_v6(const std::uint8_t* b) {
    static constexpr std::uint8_t kZero[16] = {};
    const bool first80_zero = std::memcmp(b, kZero, 10) == 0;
    if (first80_zero && b[10] == 0xff && b[11] == 0xff) return public_v4(v4_at(b + 12));  // ::ffff:a.b.c.d
    if (std::memcmp(b, kZero, 12) == 0) {
        // ::, ::1 and the deprecated v4-compatible ::a.b.c.d
        if (std::memcmp(b, kZero, 15) == 0 && b[15] <= 1) return false;
        return public_v4(v4_at(b + 12));
    }
    static constexpr std::uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b};  // 64:ff9b::/96
    if (std::memcmp(b, kNat64, 12) == 0) return public_v4(v4_at(b + 12));
    if (b[0] == 0x20 && b[1] == 0x02) return public_v4(v4_at(b + 2));  // 2002::/16: 6to4
    if (b[0] == 0xff) return false;                                     // ff00::/8: multicast
    if ((b[0] & 0xfe) == 0xfc) return false;                            // fc00::/7: unique local
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;            // fe80::/10: link-local
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;            // fec0::/10: site-local
    static constexpr std::uint8_t kDoc[4] = {0x20, 0x01, 0x0d, 0xb8};   // 2001:db8::/32: documentation
    if (std::memcmp(b, kDoc, 4) == 0) return false;
    return true;
}

struct UrlFree {
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CharFree {
    void operator()(char* p) const { curl_free(p); }
};
std::optional<std::string> part(CURLU* u, CURLUPart which) {
    char* out = nullptr;
    if (curl_url_get(u, which, &out, 0) != CURLUE_OK || !out) return std::nullopt;
    std::unique_ptr<char, CharFree> owned(out);
    return std::string(out);
}

}  // namespace

bool public_address(const sockaddr* addr) {
    if (!addr) return false;
    if (addr->sa_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, addr, sizeof in);
        return public_v4(ntohl(in.sin_addr.s_addr));
    }
    if (addr->sa_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, addr, sizeof in6);
        return public_v6(in6.sin6_addr.s6_addr);
    }
    return false;
}

bool public_address(std::string_view literal) {
    std::string s(literal);
    if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    if (auto pct = s.find('%'); pct != std::string::npos) s.resize(pct);  // a zone id: fe80::1%eth0
    in_addr v4{};
    if (inet_pton(AF_INET, s.c_str(), &v4) == 1) return public_v4(ntohl(v4.s_addr));
    in6_addr v6{};
    if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) return public_v6(v6.s6_addr);
    return false;
}

std::optional<UrlProblem> check_webhook_url(const std::string& url, bool allow_private) {
    if (!http::is_http_url(url, 2048)) return UrlProblem{false, "must be an absolute http or https URL of at most 2048 bytes"};
    std::unique_ptr<CURLU, UrlFree> u(curl_url());
    if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
        return UrlProblem{false, "must be an absolute http or https URL"};
    auto scheme = part(u.get(), CURLUPART_SCHEME);
    auto host = part(u.get(), CURLUPART_HOST);
    if (!scheme || (*scheme != "http" && *scheme != "https") || !host || host->empty())
        return UrlProblem{false, "must be an absolute http or https URL"};
    if (allow_private) return std::nullopt;
    std::string name = *host;
    if (name.size() > 2 && name.front() == '[') name = name.substr(1, name.size() - 2);
    if (auto pct = name.find('%'); pct != std::string::npos) name.resize(pct);
    const UrlProblem refused{true, "the URL's host " + *host + " is a loopback, private, link-local or multicast address"};
    in6_addr probe{};
    if (inet_pton(AF_INET, name.c_str(), &probe) == 1 || inet_pton(AF_INET6, name.c_str(), &probe) == 1)
        return public_address(name) ? std::nullopt : std::optional<UrlProblem>(refused);
    // A name: every address it resolves to must be public. (getaddrinfo also reads the
    // numeric forms inet_pton does not, such as 0x7f.1 or 2130706433.)
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(name.c_str(), nullptr, &hints, &res) != 0) return std::nullopt;
    bool ok = true;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) ok = ok && public_address(ai->ai_addr);
    freeaddrinfo(res);
    if (!ok) return refused;
    return std::nullopt;
}

}  // namespace shop::analytics
