#pragma once
// The one table from the contract's error codes to HTTP: a status for each code, and the
// headers that status needs. Services throw shop::Error with a code; only the gateway
// knows it travels over HTTP.
#include <string_view>

namespace shop::gateway {

struct ErrorStatus {
    int status;
    bool bearer_challenge = false;  // 401s carry WWW-Authenticate: Bearer
};

// nullopt-free: a code missing from the table is a programming error, answered as 500 and
// logged (a unit test scans the sources for every code thrown and checks it is here).
const ErrorStatus* error_status(std::string_view code);

// Title for a status ("Not Found", ...), used in problem bodies.
std::string_view status_title(int status);

}  // namespace shop::gateway
