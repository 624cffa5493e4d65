#include "shop/http/validate.hpp"

#include <charconv>

namespace shop::http {

namespace {
std::string trimmed(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string range_text(IntRule r) {
    bool has_min = r.min != std::numeric_limits<std::int64_t>::min();
    bool has_max = r.max != std::numeric_limits<std::int64_t>::max();
    if (has_min && has_max) return "an integer from " + std::to_string(r.min) + " to " + std::to_string(r.max);
    if (has_min) return "an integer of at least " + std::to_string(r.min);
    if (has_max) return "an integer of at most " + std::to_string(r.max);
    return "an integer";
}
}  // namespace

std::optional<std::string> Fields::opt_string(const std::string& name, StringRule rule) {
    if (!has(name)) return std::nullopt;
    const auto& v = body_[name];
    if (!v.is_string()) {
        error(name, "must be a string");
        return std::nullopt;
    }
    std::string s = rule.trim ? trimmed(v.get<std::string>()) : v.get<std::string>();
    if (s.size() < rule.min || s.size() > rule.max) {
        error(name, rule.min == rule.max ? "must be " + std::to_string(rule.min) + " characters"
              : s.empty()                 ? "must not be empty"
                                          : "must be " + std::to_string(rule.min) + " to " + std::to_string(rule.max) +
                                                " characters");
        return std::nullopt;
    }
    return s;
}

std::string Fields::string(const std::string& name, StringRule rule) {
    if (!has(name)) {
        error(name, "is required");
        return {};
    }
    return opt_string(name, rule).value_or("");
}

std::optional<std::int64_t> Fields::opt_integer(const std::string& name, IntRule rule) {
    if (!has(name)) return std::nullopt;
    const auto& v = body_[name];
    // 10.0 is a float in JSON terms: money never arrives as one.
    if (!v.is_number_integer()) {
        error(name, "must be " + range_text(rule));
        return std::nullopt;
    }
    std::int64_t n;
    if (v.is_number_unsigned()) {
        auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            error(name, "must be " + range_text(rule));
            return std::nullopt;
        }
        n = static_cast<std::int64_t>(u);
    } else {
        n = v.get<std::int64_t>();
    }
    if (n < rule.min || n > rule.max) {
        error(name, "must be " + range_text(rule));
        return std::nullopt;
    }
    return n;
}

std::int64_t Fields::integer(const std::string& name, IntRule rule) {
    if (!has(name)) {
        error(name, "is required");
        return 0;
    }
    return opt_integer(name, rule).value_or(0);
}

std::optional<bool> Fields::opt_boolean(const std::string& name) {
    if (!has(name)) return std::nullopt;
    if (!body_[name].is_boolean()) {
        error(name, "must be true or false");
        return std::nullopt;
    }
    return body_[name].get<bool>();
}

bool Fields::boolean(const std::string& name) {
    if (!has(name)) {
        error(name, "is required");
        return false;
    }
    return opt_boolean(name).value_or(false);
}

std::optional<nlohmann::json> Fields::opt_object(const std::string& name) {
    if (!has(name)) return std::nullopt;
    if (!body_[name].is_object()) {
        error(name, "must be an object");
        return std::nullopt;
    }
    return body_[name];
}

std::optional<nlohmann::json> Fields::opt_array(const std::string& name) {
    if (!has(name)) return std::nullopt;
    if (!body_[name].is_array()) {
        error(name, "must be an array");
        return std::nullopt;
    }
    return body_[name];
}

void Fields::only(std::initializer_list<const char*> allowed) {
    for (const auto& [key, value] : body_.items()) {
        bool known = false;
        for (const char* a : allowed) known = known || key == a;
        if (!known) error(key, "is not a field of this request");
    }
}

void Fields::done() const {
    if (!errors_.empty()) throw Error::validation(errors_);
}

std::optional<std::int64_t> query_integer(const Request& req, const std::string& name, IntRule rule) {
    auto text = req.query(name);
    if (!text) return std::nullopt;
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
    if (text->empty() || ec != std::errc{} || p != text->data() + text->size() || n < rule.min || n > rule.max)
        throw Error::validation(name, "must be " + range_text(rule));
    return n;
}

bool is_http_url(std::string_view s, std::size_t max) {
    if (s.size() > max) return false;
    auto starts = [&](std::string_view prefix) {
        return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
    };
    std::size_t scheme = starts("http://") ? 7 : starts("https://") ? 8 : 0;
    if (scheme == 0) return false;
    for (unsigned char c : s)
        if (c <= 0x20 || c == 0x7f) return false;
    std::string_view rest = s.substr(scheme);
    std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
    return !host.empty() && host.front() != '@' && host.front() != ':';
}

}  // namespace shop::http
