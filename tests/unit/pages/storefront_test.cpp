#include <catch2/catch.hpp>
#include <zlib.h>

#include "pages/gzip.hpp"
#include "pages/pages_module.hpp"
#include "pages/storefront.hpp"
#include "shop/core/error.hpp"

using shop::pages::accepts_gzip;
using shop::pages::Storefront;
using shop::pages::WebFile;

namespace {

std::string gunzip(const std::string& in) {
    z_stream zs{};
    REQUIRE(inflateInit2(&zs, 15 + 16) == Z_OK);
    std::string out(std::size_t{1} << 20, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    inflateEnd(&zs);
    REQUIRE(rc == Z_STREAM_END);
    return out;
}

shop::http::Request get(std::vector<std::pair<std::string, std::string>> headers = {}) {
    shop::http::Request r;
    r.headers = std::move(headers);
    return r;
}

const std::string kBig(4000, 'x');
const WebFile kFiles[] = {{"index.html", "<!doctype html><title>t</title>"}, {"app.js", kBig}, {"app.css", "a{}"}};

}  // namespace

TEST_CASE("gzip round-trips and is the same bytes every time") {
    const std::string text = "the storefront " + kBig;
    const auto once = shop::pages::gzip(text);
    CHECK(once.size() < text.size() / 10);
    CHECK(gunzip(once) == text);
    CHECK(shop::pages::gzip(text) == once);
    CHECK(gunzip(shop::pages::gzip("")).empty());
}

TEST_CASE("Accept-Encoding is read as RFC 9110 says") {
    CHECK(accepts_gzip("gzip"));
    CHECK(accepts_gzip("deflate, gzip;q=0.5, br"));
    CHECK(accepts_gzip("GZIP"));
    CHECK(accepts_gzip("x-gzip"));
    CHECK(accepts_gzip("*"));
    CHECK_FALSE(accepts_gzip(""));
    CHECK_FALSE(accepts_gzip("br, deflate"));
    CHECK_FALSE(accepts_gzip("gzip;q=0"));
    CHECK_FALSE(accepts_gzip("gzip; q=0.000"));
    CHECK_FALSE(accepts_gzip("*, gzip;q=0"));
    CHECK_FALSE(accepts_gzip("identity, *;q=0"));
    CHECK(accepts_gzip("gzip;q=0.001"));
}

TEST_CASE("the page and assets carry their type, ETag, cache policy and security headers") {
    Storefront s(kFiles);
    auto page = s.page(get());
    CHECK(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.body == "<!doctype html><title>t</title>");
    CHECK(page.header("Cache-Control") == "no-cache");
    CHECK(page.header("X-Content-Type-Options") == "nosniff");
    CHECK(page.header("X-Frame-Options") == "DENY");
    CHECK(page.header("Content-Security-Policy") == s.content_security_policy());
    const std::string csp = s.content_security_policy();
    CHECK(csp.find("default-src 'none'") != std::string::npos);
    CHECK(csp.find("script-src 'self';") != std::string::npos);
    CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
    CHECK(csp.find("unsafe") == std::string::npos);

    auto js = s.asset("app.js", get());
    CHECK(js.header("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(js.body == kBig);
    CHECK_FALSE(js.header("Content-Encoding"));
    CHECK(s.asset("app.css", get()).header("Content-Type") == "text/css; charset=utf-8");
    CHECK(js.header("ETag") != page.header("ETag"));
    CHECK(js.header("Vary") == "Accept-Encoding");
}

TEST_CASE("gzip goes to clients that take it, with an ETag of its own") {
    Storefront s(kFiles);
    auto plain = s.asset("app.js", get());
    auto gz = s.asset("app.js", get({{"Accept-Encoding", "gzip, deflate, br"}}));
    CHECK(gz.header("Content-Encoding") == "gzip");
    CHECK(gunzip(gz.body) == kBig);
    CHECK(gz.header("ETag") != plain.header("ETag"));
    // A file that gzip would not shrink is sent as it is.
    auto css = s.asset("app.css", get({{"Accept-Encoding", "gzip"}}));
    CHECK_FALSE(css.header("Content-Encoding"));
    CHECK(css.body == "a{}");
}

TEST_CASE("If-None-Match with the current ETag gives 304 without a body") {
    Storefront s(kFiles);
    const std::string tag(*s.asset("app.js", get()).header("ETag"));
    auto again = s.asset("app.js", get({{"If-None-Match", "\"other\", " + tag}}));
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(again.header("ETag") == tag);
    CHECK(s.asset("app.js", get({{"If-None-Match", "W/" + tag}})).status == 304);
    CHECK(s.asset("app.js", get({{"If-None-Match", "*"}})).status == 304);
    // The gzip copy has its own tag: the plain one does not validate it.
    CHECK(s.asset("app.js", get({{"If-None-Match", tag}, {"Accept-Encoding", "gzip"}})).status == 200);
    CHECK(s.asset("app.js", get({{"If-None-Match", "\"stale\""}})).status == 200);
}

TEST_CASE("names that are not assets are 404, the page among them") {
    Storefront s(kFiles);
    auto code = [&](std::string_view name) {
        try {
            s.asset(name, get());
        } catch (const shop::Error& e) {
            return e.code();
        }
        return std::string("served");
    };
    CHECK(code("nope.js") == "not_found");
    CHECK(code("index.html") == "not_found");
    CHECK(code("../app.js") == "not_found");
    CHECK(code("app.js") == "served");
    CHECK(shop::pages::PagesModule::is_page("cart"));
    CHECK_FALSE(shop::pages::PagesModule::is_page("assets"));
}

TEST_CASE("the embedded storefront has its page, style sheet and every module it imports") {
    Storefront s;
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
