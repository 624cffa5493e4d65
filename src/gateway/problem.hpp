#pragma once
#include <exception>
#include <string>

#include "shop/core/error.hpp"
#include "shop/http/response.hpp"

namespace shop::gateway {

// RFC 9457 problem+json for a domain error, its status taken from the gateway's table
// (error_status.hpp): Retry-After, ETag and WWW-Authenticate follow from the error.
http::Response problem_response(const Error& e, const std::string& request_id);
// Maps anything a handler threw: shop::Error through the table, database trouble to 503,
// the rest to a 500 that names the request id (details go to the log only).
http::Response response_for_exception(std::exception_ptr ep, const std::string& request_id);

}  // namespace shop::gateway
