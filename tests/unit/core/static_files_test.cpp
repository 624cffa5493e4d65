#include <catch2/catch.hpp>
#include <zlib.h>

#include "shop/core/error.hpp"
#include "shop/http/gzip.hpp"
#include "shop/http/static_files.hpp"

using shop::http::accepts_gzip;
using shop::http::EmbeddedFile;
using shop::http::StaticFiles;
using shop::http::StaticFilesOptions;

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
const EmbeddedFile kFiles[] = {
    {"index.html", "<!doctype html><title>t</title>"}, {"app.js", kBig}, {"app.css", "a{}"}, {"ui.js", "two"}};

StaticFilesOptions options(bool gzip) {
    StaticFilesOptions o;
    o.what = "test";
    o.content_security_policy = "default-src 'none'";
    o.referrer_policy = "same-origin";
    o.gzip = gzip;
    o.headers = {{"Cross-Origin-Opener-Policy", "same-origin"}};
    return o;
}

}  // namespace

TEST_CASE("gzip round-trips and is the same bytes every time") {
    const std::string text = "the storefront " + kBig;
    const auto once = shop::http::gzip(text);
    CHECK(once.size() < text.size() / 10);
    CHECK(gunzip(once) == text);
    CHECK(shop::http::gzip(text) == once);
    CHECK(gunzip(shop::http::gzip("")).empty());
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

TEST_CASE("static files carry their type, ETag, cache policy and the caller's security headers") {
    StaticFiles s(kFiles, options(true));
    auto page = s.page(get());
    CHECK(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.body == "<!doctype html><title>t</title>");
    CHECK(page.header("Cache-Control") == "no-cache");
    CHECK(page.header("X-Content-Type-Options") == "nosniff");
    CHECK(page.header("X-Frame-Options") == "DENY");
    CHECK(page.header("Referrer-Policy") == "same-origin");
    CHECK(page.header("Cross-Origin-Opener-Policy") == "same-origin");
    CHECK(page.header("Content-Security-Policy") == "default-src 'none'");
    CHECK(s.content_security_policy() == "default-src 'none'");

    auto js = s.asset("app.js", get());
    CHECK(js.header("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(js.body == kBig);
    CHECK_FALSE(js.header("Content-Encoding"));
    CHECK(js.header("Vary") == "Accept-Encoding");
    CHECK(js.header("Content-Security-Policy") == "default-src 'none'");
    CHECK(s.asset("app.css", get()).header("Content-Type") == "text/css; charset=utf-8");
    CHECK(js.header("ETag") != page.header("ETag"));
    CHECK(std::string(*js.header("ETag")).size() == 34);
    CHECK(StaticFiles::content_type("logo.svg") == "image/svg+xml");
    CHECK_THROWS_AS(StaticFiles::content_type("a.exe"), std::logic_error);
}

TEST_CASE("gzip goes to clients that take it, with an ETag of its own, and only when asked for") {
    StaticFiles s(kFiles, options(true));
    auto plain = s.asset("app.js", get());
    auto gz = s.asset("app.js", get({{"Accept-Encoding", "gzip, deflate, br"}}));
    CHECK(gz.header("Content-Encoding") == "gzip");
    CHECK(gunzip(gz.body) == kBig);
    CHECK(gz.header("ETag") != plain.header("ETag"));
    // A file that gzip would not shrink is sent as it is.
    auto css = s.asset("app.css", get({{"Accept-Encoding", "gzip"}}));
    CHECK_FALSE(css.header("Content-Encoding"));
    CHECK(css.body == "a{}");

    StaticFiles off(kFiles, options(false));
    auto never = off.asset("app.js", get({{"Accept-Encoding", "gzip"}}));
    CHECK_FALSE(never.header("Content-Encoding"));
    CHECK_FALSE(never.header("Vary"));
    CHECK(never.body == kBig);
    CHECK(never.header("ETag") == plain.header("ETag"));
}

TEST_CASE("If-None-Match with the current ETag gives 304 without a body") {
    StaticFiles s(kFiles, options(true));
    const std::string tag(*s.asset("app.js", get()).header("ETag"));
    CHECK(tag != *s.asset("ui.js", get()).header("ETag"));
    auto again = s.asset("app.js", get({{"If-None-Match", "\"other\", " + tag}}));
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(again.header("ETag") == tag);
    CHECK(again.header("Content-Security-Policy") == "default-src 'none'");
    CHECK(s.asset("app.js", get({{"If-None-Match", "W/" + tag}})).status == 304);
    CHECK(s.asset("app.js", get({{"If-None-Match", "*"}})).status == 304);
    CHECK(s.page(get({{"If-None-Match", std::string(*s.page(get()).header("ETag"))}})).status == 304);
    // The gzip copy has its own tag: the plain one does not validate it.
    CHECK(s.asset("app.js", get({{"If-None-Match", tag}, {"Accept-Encoding", "gzip"}})).status == 200);
    CHECK(s.asset("app.js", get({{"If-None-Match", "\"stale\""}})).status == 200);
}

TEST_CASE("names that are not assets are 404, the page among them; a set needs its page") {
    StaticFiles s(kFiles, options(false));
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
    const EmbeddedFile no_page[] = {{"app.js", "x"}};
    CHECK_THROWS_AS(StaticFiles(no_page, options(false)), std::logic_error);
}
