#pragma once
#include <exception>
#include <string>

#include "shop/http/error.hpp"
#include "shop/http/response.hpp"

namespace shop::gateway {

// RFC 9457 problem+json for an ApiError.
http::Response problem_response(const http::ApiError& e, const std::string& request_id);
// Maps anything a handler threw: ApiError as is, database trouble to 503, the rest to a
// 500 that names the request id (details go to the log only).
http::Response response_for_exception(std::exception_ptr ep, const std::string& request_id);

}  // namespace shop::gateway
