#pragma once
// GET /: the admin dashboard, one HTML page compiled into the binary (dashboard.html),
// served with a Content-Security-Policy that lets only its own inline script and style
// run (by their SHA-256 hashes) and only the same origin be fetched.
#include <string>
#include <string_view>
#include <vector>

#include "shop/http/response.hpp"

namespace shop::analytics {

class DashboardPage {
public:
    DashboardPage();  // the embedded page
    explicit DashboardPage(std::string_view html);

    http::Response response() const { return response_; }
    const std::string& content_security_policy() const { return csp_; }

    // The text between each <tag> and </tag> (tags without attributes), in order.
    static std::vector<std::string_view> inline_blocks(std::string_view html, std::string_view tag);
    // 'sha256-<base64>' as CSP writes a hash source.
    static std::string csp_hash(std::string_view text);

private:
    std::string csp_;
    http::Response response_;
};

}  // namespace shop::analytics
