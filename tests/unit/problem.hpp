#pragma once
// What a client would see for a domain error: the gateway's own rendering (its table of
// codes to statuses and headers), so tests below the gateway still check the answer.
#include <functional>
#include <string>
#include <string_view>

#include "gateway/problem.hpp"
#include "shop/core/error.hpp"

namespace shop::test {

inline http::Response answer_of(const Error& e) { return gateway::problem_response(e, "req_test"); }

inline int status_of(const Error& e) { return answer_of(e).status; }

inline std::string header_of(const Error& e, std::string_view name) {
    // Keep the response alive while its header is copied: header() returns a view into it.
    const http::Response answer = answer_of(e);
    auto v = answer.header(name);
    return v ? std::string(*v) : std::string();
}

// The code of the Error fn throws, or "no error".
inline std::string code_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.code();
    }
    return "no error";
}

}  // namespace shop::test
