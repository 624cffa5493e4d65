#pragma once
// The request as every module sees it: plain strings, no Beast types, so modules stay
// quick to compile and can be driven directly from unit tests.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shop::http {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };

std::string_view to_string(Method m);
Method method_from_string(std::string_view s);

// Header names compare case-insensitively, as HTTP says.
bool iequals(std::string_view a, std::string_view b);

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
    Method method = Method::Get;
    std::string target;  // as sent: path plus query string
    std::string path;    // percent-decoded path, no query
    // The path's segments, each percent-decoded on its own (so "%2F" stays inside its
    // segment and never makes a route); nullopt when only `path` was given (unit tests).
    std::optional<std::vector<std::string>> segments;
    std::string query_string;
    Headers headers;
    std::string body;
    std::string client_ip;   // after trusted-proxy resolution
    // What per-address limits count by: client_ip, or for IPv6 its /64 (one subscriber's
    // network hands out addresses from a whole /64). Set by the gateway; empty in unit tests.
    std::string client_key;
    std::string request_id;  // set by the gateway before any handler runs

    std::optional<std::string_view> header(std::string_view name) const;
    // Every line of a header that may repeat, joined with ", " as RFC 9110 allows for lists.
    std::optional<std::string> header_list(std::string_view name) const;
    // client_key, or client_ip when no gateway set it.
    const std::string& limit_key() const { return client_key.empty() ? client_ip : client_key; }
    // First value of a query parameter, percent-decoded; nullopt when absent. Text that no
    // backend can store (core/text.hpp) is refused here: 400 invalid_text.
    std::optional<std::string> query(std::string_view key) const;
    // Every value of a repeated query parameter (?option=a&option=b), checked as query().
    std::vector<std::string> query_all(std::string_view key) const;
    // The same, unchecked, for free text that its reader only splits into words (a search
    // box) and never stores or binds as it is.
    std::optional<std::string> query_free_text(std::string_view key) const;
};

// Splits "a=1&b=x%20y" into decoded pairs; '+' means space.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view qs);
// Percent-decoding; nullopt for malformed escapes.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

}  // namespace shop::http
