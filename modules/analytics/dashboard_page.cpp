#include "dashboard_page.hpp"

#include <sodium.h>

#include <stdexcept>

namespace shop::analytics {

extern const std::string_view kDashboard;  // dashboard.html, embedded at build time

DashboardPage::DashboardPage() : DashboardPage(kDashboard) {}

DashboardPage::DashboardPage(std::string_view html) {
    std::string scripts, styles;
    for (auto block : inline_blocks(html, "script")) scripts += " " + csp_hash(block);
    for (auto block : inline_blocks(html, "style")) styles += " " + csp_hash(block);
    // Nothing but the page's own inline code, and requests to the API on this origin.
    csp_ = "default-src 'self'; script-src 'self'" + scripts + "; style-src 'self'" + styles +
           "; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
           "frame-ancestors 'none'";
    response_ = http::Response::text(200, std::string(html), "text/html; charset=utf-8");
    response_.set_header("Content-Security-Policy", csp_);
    response_.set_header("X-Content-Type-Options", "nosniff");
    response_.set_header("X-Frame-Options", "DENY");
    response_.set_header("Referrer-Policy", "no-referrer");
    response_.set_header("Cache-Control", "no-cache");
}

std::vector<std::string_view> DashboardPage::inline_blocks(std::string_view html, std::string_view tag) {
    std::vector<std::string_view> out;
    const std::string open = "<" + std::string(tag) + ">";
    const std::string close = "</" + std::string(tag) + ">";
    for (std::size_t pos = html.find(open); pos != std::string_view::npos; pos = html.find(open, pos)) {
        std::size_t start = pos + open.size();
        std::size_t end = html.find(close, start);
        if (end == std::string_view::npos) break;
        out.push_back(html.substr(start, end - start));
        pos = end + close.size();
    }
    return out;
}

std::string DashboardPage::csp_hash(std::string_view text) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
    return "'sha256-" + std::string(b64) + "'";
}

}  // namespace shop::analytics
