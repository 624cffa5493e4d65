#pragma once
// shop::Error is a domain outcome that ends a request: the contract's stable machine code
// (API.md: "insufficient_stock", "not_found", ...), a sentence for people, and what a client
// needs to act on it. Services, repositories and cross-module interfaces throw it and know
// nothing of HTTP; the gateway's table (src/gateway/error_status.cpp) gives each code its
// status and renders RFC 9457 problem+json. Callers branch on code(), never on detail().
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace shop {

struct FieldError {
    FieldError(std::string f, std::string m, std::optional<std::int64_t> r = std::nullopt)
        : field(std::move(f)), message(std::move(m)), row(r) {}
    std::string field;
    std::string message;
    std::optional<std::int64_t> row;  // the data row of an uploaded file (CSV import), from 1
};

class Error : public std::runtime_error {
public:
    Error(std::string code, std::string detail);

    const std::string& code() const { return code_; }
    const std::string& detail() const { return detail_; }
    const std::vector<FieldError>& errors() const { return errors_; }
    const nlohmann::json& extra() const { return extra_; }
    // Seconds after which the same request may succeed (busy, rate limited, in progress).
    const std::optional<int>& retry_after_s() const { return retry_after_s_; }
    // The current version tag of the resource the caller held a stale copy of.
    const std::optional<std::string>& current_tag() const { return current_tag_; }

    Error& with_errors(std::vector<FieldError> errors);
    Error& with_field(std::string key, nlohmann::json value);  // extra member of the problem body
    Error& with_retry_after(int seconds);
    Error& with_current_tag(std::string tag);

    // The common ones, named as the contract names them.
    static Error validation(std::vector<FieldError> errors);
    static Error validation(std::string field, std::string message);
    static Error not_found(std::string detail = "resource not found");
    static Error unauthorized(std::string detail = "authentication required");
    static Error forbidden(std::string detail = "not allowed");

private:
    std::string code_;
    std::string detail_;
    std::vector<FieldError> errors_;
    nlohmann::json extra_ = nlohmann::json::object();
    std::optional<int> retry_after_s_;
    std::optional<std::string> current_tag_;
};

}  // namespace shop
