#include <catch2/catch.hpp>

#include "analytics/dashboard_page.hpp"

using shop::analytics::DashboardPage;

TEST_CASE("CSP hashes are the base64 SHA-256 of each inline block") {
    CHECK(DashboardPage::csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    auto blocks = DashboardPage::inline_blocks("<style>a</style><script>b</script>x<script>c</script>", "script");
    CHECK(blocks == std::vector<std::string_view>{"b", "c"});
    DashboardPage page("<html><style>s</style><script>j</script></html>");
    const auto& csp = page.content_security_policy();
    CHECK(csp.find("script-src 'self' " + DashboardPage::csp_hash("j") + ";") != std::string::npos);
    CHECK(csp.find("style-src 'self' " + DashboardPage::csp_hash("s") + ";") != std::string::npos);
    CHECK(csp.find("unsafe") == std::string::npos);
}

TEST_CASE("the embedded dashboard is served as HTML with security headers") {
    DashboardPage page;
    auto r = page.response();
    CHECK(r.status == 200);
    CHECK(r.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.header("X-Frame-Options") == "DENY");
    CHECK(r.header("Referrer-Policy") == "no-referrer");
    CHECK(r.header("Content-Security-Policy") == page.content_security_policy());
    CHECK(r.body.find("<script>") != std::string::npos);
    // Every inline script of the page is allowed by its hash, so none is blocked.
    for (auto block : DashboardPage::inline_blocks(r.body, "script"))
        CHECK(page.content_security_policy().find(DashboardPage::csp_hash(block)) != std::string::npos);
}
