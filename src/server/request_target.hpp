#pragma once
// The request target as the gateway sees it, shared by the server and the request fuzzer
// (fuzz/http.cpp) so both build requests alike.
#include <string_view>

#include "shop/http/request.hpp"

namespace shop::server {

// Fills req.path, req.segments and req.query_string from an origin-form target
// ("/a/b%2Fc?x=1"). The path is split into segments before each is percent-decoded, so an
// encoded "/" stays data inside its segment and never reaches another route. False for a
// target that is not origin-form or whose path holds a malformed escape: the server answers
// 400. The query string is kept as sent, for its readers to decode.
bool read_target(std::string_view target, http::Request& req);

}  // namespace shop::server
