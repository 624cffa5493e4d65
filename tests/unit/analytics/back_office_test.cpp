#include <catch2/catch.hpp>

#include "analytics/back_office.hpp"
#include "shop/core/error.hpp"

using shop::analytics::BackOffice;
using shop::analytics::BackOfficeFile;

namespace {

shop::http::Request get(std::string path, std::string if_none_match = "") {
    shop::http::Request req;
    req.target = path;
    req.path = path;
    if (!if_none_match.empty()) req.headers.emplace_back("If-None-Match", if_none_match);
    return req;
}

}  // namespace

TEST_CASE("the back office page and its files are served with their types and a strict policy") {
    const BackOfficeFile files[] = {{"index.html", "<html></html>"}, {"app.js", "export {};"}, {"a.css", "a{}"}};
    BackOffice office(files);
    auto page = office.page(get("/"));
    CHECK(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.body == "<html></html>");
    CHECK(page.header("X-Content-Type-Options") == "nosniff");
    CHECK(page.header("X-Frame-Options") == "DENY");
    CHECK(page.header("Referrer-Policy") == "no-referrer");
    const auto& csp = office.content_security_policy();
    CHECK(page.header("Content-Security-Policy") == csp);
    CHECK(csp.find("script-src 'self';") != std::string::npos);
    CHECK(csp.find("style-src 'self';") != std::string::npos);
    CHECK(csp.find("unsafe") == std::string::npos);
    auto js = office.asset("app.js", get("/admin/assets/app.js"));
    CHECK(js.header("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(js.header("Content-Security-Policy") == csp);
    CHECK(office.asset("a.css", get("/admin/assets/a.css")).header("Content-Type") == "text/css; charset=utf-8");
}

TEST_CASE("a back-office file answers 304 to its own ETag and another content gets another tag") {
    const BackOfficeFile files[] = {{"index.html", "page"}, {"app.js", "one"}, {"ui.js", "two"}};
    BackOffice office(files);
    auto first = office.asset("app.js", get("/admin/assets/app.js"));
    auto etag = std::string(*first.header("ETag"));
    CHECK(etag.size() == 34);
    CHECK(etag != *office.asset("ui.js", get("/admin/assets/ui.js")).header("ETag"));
    auto again = office.asset("app.js", get("/admin/assets/app.js", "W/\"x\", " + etag));
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(again.header("ETag") == etag);
    CHECK(office.asset("app.js", get("/admin/assets/app.js", "\"other\"")).status == 200);
}

TEST_CASE("the page is not an asset and unknown names are 404") {
    const BackOfficeFile files[] = {{"index.html", "page"}, {"app.js", "x"}};
    BackOffice office(files);
    CHECK_THROWS_AS(office.asset("index.html", get("/admin/assets/index.html")), shop::Error);
    CHECK_THROWS_AS(office.asset("nope.js", get("/admin/assets/nope.js")), shop::Error);
    CHECK_THROWS_AS(office.asset("../app.js", get("/admin/assets/../app.js")), shop::Error);
}

TEST_CASE("the embedded back office has its page, and every file it links is embedded") {
    BackOffice office;
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
    BackOffice office;
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
