#include "shop/core/error.hpp"

namespace shop {

Error::Error(std::string code, std::string detail)
    : std::runtime_error(code + ": " + detail), code_(std::move(code)), detail_(std::move(detail)) {}

Error& Error::with_errors(std::vector<FieldError> errors) {
    errors_ = std::move(errors);
    return *this;
}

Error& Error::with_field(std::string key, nlohmann::json value) {
    extra_[std::move(key)] = std::move(value);
    return *this;
}

Error& Error::with_retry_after(int seconds) {
    retry_after_s_ = seconds;
    return *this;
}

Error& Error::with_current_tag(std::string tag) {
    current_tag_ = std::move(tag);
    return *this;
}

Error Error::validation(std::vector<FieldError> errors) {
    std::string detail = "invalid request";
    if (!errors.empty()) detail = errors.front().field + ": " + errors.front().message;
    Error e("validation_failed", detail);
    e.with_errors(std::move(errors));
    return e;
}

Error Error::validation(std::string field, std::string message) {
    return validation(std::vector<FieldError>{{std::move(field), std::move(message)}});
}

Error Error::not_found(std::string detail) { return Error("not_found", std::move(detail)); }
Error Error::unauthorized(std::string detail) { return Error("unauthorized", std::move(detail)); }
Error Error::forbidden(std::string detail) { return Error("forbidden", std::move(detail)); }

}  // namespace shop
