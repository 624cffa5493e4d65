#pragma once
// Reads fields of a JSON request body and collects every problem, so one 422 names each
// bad field at once. Money and counts are integers: a float where an integer belongs is an
// error, never rounded.
//
//   http::Fields f(ctx.json_body());
//   auto email = f.string("email", {.min = 3, .max = 320});
//   auto price = f.integer("price", {.min = 0});
//   auto note  = f.opt_string("note");
//   f.done();   // throws Error 422 validation_failed listing every error
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "shop/core/error.hpp"
#include "shop/http/request.hpp"

namespace shop::http {

struct StringRule {
    std::size_t min = 0;
    std::size_t max = 10000;
    bool trim = true;  // leading/trailing white space removed before the length check
};

struct IntRule {
    std::int64_t min = std::numeric_limits<std::int64_t>::min();
    std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

class Fields {
public:
    // `prefix` names a nested object in error fields: "shipping_address.city".
    explicit Fields(const nlohmann::json& body, std::string prefix = {}) : body_(body), prefix_(std::move(prefix)) {}

    bool has(const std::string& name) const { return body_.contains(name) && !body_[name].is_null(); }

    // Required fields: a missing or wrong one records an error and returns a default.
    std::string string(const std::string& name, StringRule rule = {});
    std::int64_t integer(const std::string& name, IntRule rule = {});
    bool boolean(const std::string& name);

    // Optional fields: absent or null gives nullopt; present but bad records an error.
    std::optional<std::string> opt_string(const std::string& name, StringRule rule = {});
    std::optional<std::int64_t> opt_integer(const std::string& name, IntRule rule = {});
    std::optional<bool> opt_boolean(const std::string& name);
    // Objects and arrays are returned as they are, after a type check.
    std::optional<nlohmann::json> opt_object(const std::string& name);
    std::optional<nlohmann::json> opt_array(const std::string& name);

    // Any rule of the caller's own.
    void error(std::string field, std::string message) {
        errors_.push_back({prefix_.empty() ? std::move(field) : prefix_ + "." + field, std::move(message)});
    }
    // Takes over the errors of a nested object's Fields.
    void merge(const Fields& nested) { errors_.insert(errors_.end(), nested.errors_.begin(), nested.errors_.end()); }
    bool ok() const { return errors_.empty(); }
    // Fields the caller did not expect: an error each (mass assignment is refused, not ignored).
    void only(std::initializer_list<const char*> allowed);
    void done() const;  // throws 422 validation_failed when any error was recorded

private:
    const nlohmann::json& body_;
    std::string prefix_;
    std::vector<FieldError> errors_;
};

// An absolute http(s) URL with a host, of at most `max` bytes, without white space or
// control characters: what a browser can follow (product images, tracking links).
bool is_http_url(std::string_view s, std::size_t max = 2048);

// Integer query parameters (?min_price=100): nullopt when absent, 422 when not an integer in range.
std::optional<std::int64_t> query_integer(const Request& req, const std::string& name, IntRule rule = {});

}  // namespace shop::http
