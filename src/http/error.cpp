#include "shop/http/error.hpp"

namespace shop::http {

ApiError::ApiError(int status, std::string code, std::string detail)
    : std::runtime_error(code + ": " + detail), status_(status), code_(std::move(code)), detail_(std::move(detail)) {}

ApiError& ApiError::with_errors(std::vector<FieldError> errors) {
    errors_ = std::move(errors);
    return *this;
}

ApiError& ApiError::with_field(std::string key, nlohmann::json value) {
    extra_[std::move(key)] = std::move(value);
    return *this;
}

ApiError& ApiError::with_header(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
}

ApiError ApiError::validation(std::vector<FieldError> errors) {
    std::string detail = "invalid request";
    if (!errors.empty()) detail = errors.front().field + ": " + errors.front().message;
    ApiError e(422, "validation_failed", detail);
    e.with_errors(std::move(errors));
    return e;
}

ApiError ApiError::validation(std::string field, std::string message) {
    return validation(std::vector<FieldError>{{std::move(field), std::move(message)}});
}

ApiError ApiError::not_found(std::string detail) { return ApiError(404, "not_found", std::move(detail)); }

ApiError ApiError::conflict(std::string code, std::string detail) {
    return ApiError(409, std::move(code), std::move(detail));
}

ApiError ApiError::bad_request(std::string code, std::string detail) {
    return ApiError(400, std::move(code), std::move(detail));
}

ApiError ApiError::unauthorized(std::string detail) {
    ApiError e(401, "unauthorized", std::move(detail));
    e.with_header("WWW-Authenticate", "Bearer");
    return e;
}

ApiError ApiError::forbidden(std::string detail) { return ApiError(403, "forbidden", std::move(detail)); }

ApiError ApiError::unavailable(std::string code, std::string detail, int retry_after_s) {
    ApiError e(503, std::move(code), std::move(detail));
    e.with_header("Retry-After", std::to_string(retry_after_s));
    return e;
}

std::string_view status_title(int status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 204: return "No Content";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 412: return "Precondition Failed";
        case 413: return "Content Too Large";
        case 415: return "Unsupported Media Type";
        case 422: return "Unprocessable Content";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        default: return status < 500 ? "Client Error" : "Server Error";
    }
}

}  // namespace shop::http
