#include "rules.hpp"

#include "shop/core/iso3166.hpp"

namespace shop::user {

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::optional<std::string> password_problem(std::string_view password) {
    std::size_t n = utf8_length(password);
    if (n < kPasswordMin || n > kPasswordMax)
        return "must be " + std::to_string(kPasswordMin) + " to " + std::to_string(kPasswordMax) + " characters";
    return std::nullopt;
}

std::optional<std::string> normalize_region(std::string_view region, std::string_view country) {
    std::string out(region);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!core::is_region_code(out, country)) return std::nullopt;
    return out;
}

std::optional<std::string> read_email(http::Fields& f, const nlohmann::json& body, const std::string& field) {
    if (!f.has(field)) {
        f.error(field, "is required");
        return std::nullopt;
    }
    if (!body[field].is_string()) {
        f.error(field, "must be a string");
        return std::nullopt;
    }
    std::string email = normalize_email(body[field].get<std::string>());
    if (!valid_email(email)) {
        f.error(field, "must be a valid email address");
        return std::nullopt;
    }
    return email;
}

std::optional<std::string> read_password(http::Fields& f, const nlohmann::json& body, const std::string& field,
                                         bool required) {
    if (!f.has(field)) {
        if (required) f.error(field, "is required");
        return std::nullopt;
    }
    if (!body[field].is_string()) {
        f.error(field, "must be a string");
        return std::nullopt;
    }
    // Never trimmed: every character the user typed is part of the secret.
    std::string password = body[field].get<std::string>();
    if (auto problem = password_problem(password)) {
        f.error(field, *problem);
        return std::nullopt;
    }
    return password;
}

}  // namespace shop::user
