#include <catch2/catch.hpp>

#include "pages/pages_module.hpp"
#include "pages/storefront.hpp"

// How files are served (types, ETags, 304, gzip) is shop::http::StaticFiles's, tested in
// core_test; these check the storefront's own policy and its embedded files.

namespace {

shop::http::Request get(std::vector<std::pair<std::string, std::string>> headers = {}) {
    shop::http::Request r;
    r.headers = std::move(headers);
    return r;
}

const std::string kBig(4000, 'x');
const shop::http::EmbeddedFile kFiles[] = {{"index.html", "<!doctype html><title>t</title>"}, {"app.js", kBig}};

}  // namespace

TEST_CASE("the storefront's answers carry its strict policy and go out gzipped when taken") {
    auto s = shop::pages::storefront(kFiles);
    auto page = s.page(get());
    CHECK(page.status == 200);
    CHECK(page.header("Content-Security-Policy") == s.content_security_policy());
    CHECK(page.header("Referrer-Policy") == "same-origin");
    CHECK(page.header("Cross-Origin-Opener-Policy") == "same-origin");
    CHECK(page.header("X-Frame-Options") == "DENY");
    const std::string csp = s.content_security_policy();
    CHECK(csp.find("default-src 'none'") != std::string::npos);
    CHECK(csp.find("script-src 'self';") != std::string::npos);
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(csp.find("unsafe") == std::string::npos);
    CHECK(s.asset("app.js", get({{"Accept-Encoding", "gzip"}})).header("Content-Encoding") == "gzip");
    CHECK(shop::pages::PagesModule::is_page("cart"));
    CHECK_FALSE(shop::pages::PagesModule::is_page("assets"));
}

TEST_CASE("the embedded storefront has its page, style sheet and every module it imports") {
    auto s = shop::pages::storefront();
    auto page = s.page(get());
    CHECK(page.body.find("<script type=\"module\" src=\"/shop/assets/app.js\">") != std::string::npos);
    // No inline script or style: the policy allows none.
    CHECK(page.body.find("<script>") == std::string::npos);
    CHECK(page.body.find("<style") == std::string::npos);
    CHECK(page.body.find(" style=") == std::string::npos);
    std::size_t total = 0;
    for (const auto& f : shop::pages::kWebFiles) {
        total += f.text.size();
        CHECK(f.text.find("http://") == std::string_view::npos);
        CHECK(f.text.find("https://") == std::string_view::npos);
        CHECK(f.text.find("innerHTML") == std::string_view::npos);
        // Every relative import names a file that is served.
        for (std::size_t at = f.text.find("from './"); at != std::string_view::npos; at = f.text.find("from './", at + 1)) {
            auto name = f.text.substr(at + 8, f.text.find('\'', at + 8) - at - 8);
            INFO(f.name << " imports " << name);
            CHECK(s.asset(name, get()).status == 200);
        }
    }
    // Everything together, not just one page's share, stays well within issue 22's budget.
    CHECK(total < 160 * 1024);
}
