#pragma once
// ApiError is how a handler or service aborts a request with a client-facing answer.
// The gateway turns it into RFC 9457 problem+json; `code` is the stable machine code of
// the contract (API.md), so callers branch on it, never on `detail`.
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "shop/http/request.hpp"

namespace shop::http {

struct FieldError {
    std::string field;
    std::string message;
};

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, std::string detail);

    int status() const { return status_; }
    const std::string& code() const { return code_; }
    const std::string& detail() const { return detail_; }
    const std::vector<FieldError>& errors() const { return errors_; }
    const nlohmann::json& extra() const { return extra_; }
    const Headers& headers() const { return headers_; }

    ApiError& with_errors(std::vector<FieldError> errors);
    ApiError& with_field(std::string key, nlohmann::json value);  // extra member of the problem body
    ApiError& with_header(std::string name, std::string value);

    // The common ones, named as the contract names them.
    static ApiError validation(std::vector<FieldError> errors);
    static ApiError validation(std::string field, std::string message);
    static ApiError not_found(std::string detail = "resource not found");
    static ApiError conflict(std::string code, std::string detail);
    static ApiError bad_request(std::string code, std::string detail);
    static ApiError unauthorized(std::string detail = "authentication required");
    static ApiError forbidden(std::string detail = "not allowed");
    static ApiError unavailable(std::string code, std::string detail, int retry_after_s);

private:
    int status_;
    std::string code_;
    std::string detail_;
    std::vector<FieldError> errors_;
    nlohmann::json extra_ = nlohmann::json::object();
    Headers headers_;
};

// Title for a status ("Not Found", ...), used in problem bodies.
std::string_view status_title(int status);

}  // namespace shop::http
