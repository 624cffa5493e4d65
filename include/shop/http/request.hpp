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
    std::string query_string;
    Headers headers;
    std::string body;
    std::string client_ip;   // after trusted-proxy resolution
    std::string request_id;  // set by the gateway before any handler runs

    std::optional<std::string_view> header(std::string_view name) const;
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
