#include <catch2/catch.hpp>

#include "analytics/back_office.hpp"

// How files are served (types, ETags, 304, 404) is shop::http::StaticFiles's, tested in
// core_test; these check the back office's own policy and its embedded files.

namespace {

shop::http::Request get(std::string path) {
    shop::http::Request req;
    req.target = path;
    req.path = path;
    req.headers.emplace_back("Accept-Encoding", "gzip");
    return req;
}

}  // namespace

TEST_CASE("the back office is served with a strict policy and no referrer") {
    const shop::http::EmbeddedFile files[] = {{"index.html", "<html></html>"}, {"app.js", "export {};"}};
    auto office = shop::analytics::back_office(files);
    auto page = office.page(get("/"));
    CHECK(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.header("X-Content-Type-Options") == "nosniff");
    CHECK(page.header("X-Frame-Options") == "DENY");
    CHECK(page.header("Referrer-Policy") == "no-referrer");
    const auto& csp = office.content_security_policy();
    CHECK(page.header("Content-Security-Policy") == csp);
    CHECK(csp.find("script-src 'self';") != std::string::npos);
    CHECK(csp.find("style-src 'self';") != std::string::npos);
    CHECK(csp.find("unsafe") == std::string::npos);
    auto js = office.asset("app.js", get("/admin/assets/app.js"));
    CHECK(js.header("Content-Security-Policy") == csp);
    CHECK_FALSE(js.header("Content-Encoding"));
}

TEST_CASE("the embedded back office has its page, and every file it links is embedded") {
    auto office = shop::analytics::back_office();
    auto page = office.page(get("/"));
    CHECK(page.status == 200);
    CHECK(page.body.find("<script>") == std::string::npos);  // no inline code: the policy would block it
    CHECK(page.body.find("<style>") == std::string::npos);
    for (std::size_t pos = page.body.find("/admin/assets/"); pos != std::string::npos;
         pos = page.body.find("/admin/assets/", pos + 1)) {
        auto end = page.body.find('"', pos);
        auto name = page.body.substr(pos + 14, end - pos - 14);
        CAPTURE(name);
        CHECK(office.asset(name, get("/admin/assets/" + name)).status == 200);
    }
}

TEST_CASE("every back-office module imports only embedded files and writes no markup from strings") {
    auto office = shop::analytics::back_office();
    for (const auto& f : shop::analytics::kBackOfficeFiles) {
        CAPTURE(f.name);
        CHECK(f.text.find("innerHTML") == std::string_view::npos);
        CHECK(f.text.find("insertAdjacentHTML") == std::string_view::npos);
        CHECK(f.text.find("eval(") == std::string_view::npos);
        for (std::size_t pos = f.text.find("from './"); pos != std::string_view::npos; pos = f.text.find("from './", pos + 1)) {
            auto end = f.text.find('\'', pos + 8);
            auto name = std::string(f.text.substr(pos + 8, end - pos - 8));
            CAPTURE(name);
            CHECK(office.asset(name, get("/admin/assets/" + name)).status == 200);
        }
    }
}
