#include "shop/core/email.hpp"

namespace shop::core {

namespace {
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool valid_domain(std::string_view d) {
    if (d.empty() || d.size() > 253 || d.find('.') == std::string_view::npos) return false;
    std::size_t start = 0;
    while (start <= d.size()) {
        std::size_t dot = d.find('.', start);
        std::string_view label = d.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (unsigned char c : label) {
            // Bytes above 0x7f: internationalised domain names in UTF-8.
            bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c >= 0x80;
            if (!ok) return false;
        }
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return true;
}

bool valid_local(std::string_view l) {
    if (l.empty() || l.size() > 64 || l.front() == '.' || l.back() == '.' || l.find("..") != std::string_view::npos)
        return false;
    for (unsigned char c : l) {
        if (c <= 0x20 || c == 0x7f) return false;
        if (std::string_view("\"(),:;<>[\\]@").find(static_cast<char>(c)) != std::string_view::npos) return false;
    }
    return true;
}
}  // namespace

std::string normalize_email(std::string_view email) {
    while (!email.empty() && is_space(email.front())) email.remove_prefix(1);
    while (!email.empty() && is_space(email.back())) email.remove_suffix(1);
    std::string out(email);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool valid_email(std::string_view e) {
    if (e.size() > kEmailMax) return false;
    auto at = e.find('@');
    if (at == std::string_view::npos || e.find('@', at + 1) != std::string_view::npos) return false;
    return valid_local(e.substr(0, at)) && valid_domain(e.substr(at + 1));
}

}  // namespace shop::core
