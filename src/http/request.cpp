#include "shop/http/request.hpp"

#include <array>
#include <cctype>

#include "shop/core/error.hpp"
#include "shop/core/text.hpp"

namespace shop::http {

namespace {
constexpr std::array<std::pair<Method, std::string_view>, 7> kMethods{{
    {Method::Get, "GET"},
    {Method::Head, "HEAD"},
    {Method::Post, "POST"},
    {Method::Put, "PUT"},
    {Method::Patch, "PATCH"},
    {Method::Delete, "DELETE"},
    {Method::Options, "OPTIONS"},
}};

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::string_view to_string(Method m) {
    for (const auto& [method, name] : kMethods)
        if (method == m) return name;
    return "OTHER";
}

Method method_from_string(std::string_view s) {
    for (const auto& [method, name] : kMethods)
        if (name == s) return method;
    return Method::Other;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

std::optional<std::string> Request::query(std::string_view key) const {
    for (auto& [k, v] : parse_query(query_string)) {
        if (k != key) continue;
        if (!core::storable_text(v))
            throw Error("invalid_text", "the query parameter " + std::string(key) +
                                            " must be UTF-8 text without the NUL character (U+0000)");
        return std::move(v);
    }
    return std::nullopt;
}

std::optional<std::string> Request::header_list(std::string_view name) const {
    std::optional<std::string> out;
    for (const auto& [k, v] : headers) {
        if (!iequals(k, name)) continue;
        if (out)
            *out += ", " + v;
        else
            out = v;
    }
    return out;
}

std::vector<std::string> Request::query_all(std::string_view key) const {
    std::vector<std::string> out;
    for (auto& [k, v] : parse_query(query_string)) {
        if (k != key) continue;
        if (!core::storable_text(v))
            throw Error("invalid_text", "the query parameter " + std::string(key) +
                                            " must be UTF-8 text without the NUL character (U+0000)");
        out.push_back(std::move(v));
    }
    return out;
}

std::optional<std::string> Request::query_free_text(std::string_view key) const {
    for (auto& [k, v] : parse_query(query_string))
        if (k == key) return std::move(v);
    return std::nullopt;
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view qs) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!qs.empty()) {
        auto amp = qs.find('&');
        std::string_view part = qs.substr(0, amp);
        qs = amp == std::string_view::npos ? std::string_view{} : qs.substr(amp + 1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        std::string_view k = part.substr(0, eq);
        std::string_view v = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
        // A malformed escape keeps its raw text: the handler then rejects the value itself.
        out.emplace_back(percent_decode(k, true).value_or(std::string(k)),
                         percent_decode(v, true).value_or(std::string(v)));
    }
    return out;
}

}  // namespace shop::http
