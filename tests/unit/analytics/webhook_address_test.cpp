#include <catch2/catch.hpp>

#include "analytics/webhook_address.hpp"
#include "shop/core/signature.hpp"

using shop::analytics::check_webhook_url;
using shop::analytics::public_address;

TEST_CASE("IPv4 addresses that are not public are refused") {
    for (const char* a : {"127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1",
                          "169.254.169.254", "100.64.0.1", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
                          "240.0.0.1", "255.255.255.255", "192.0.0.8", "198.18.0.1"})
        CHECK_FALSE(public_address(a));
    for (const char* a : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "192.0.2.1", "100.128.0.1",
                          "93.184.216.34"})
        CHECK(public_address(a));
}

TEST_CASE("IPv6 addresses, and the IPv6 forms of IPv4 ones, are judged by what they reach") {
    for (const char* a : {"::", "::1", "[::1]", "fe80::1", "fe80::1%eth0", "febf::1", "fc00::1", "fd12:3456::1",
                          "ff02::1", "ff0e::1", "fec0::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1",
                          "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1", "64:ff9b::7f00:1",
                          "64:ff9b::a00:1", "2002:7f00:1::", "2002:c0a8:101::1", "2001:db8::1"})
        CHECK_FALSE(public_address(a));
    for (const char* a : {"2606:4700:4700::1111", "[2001:4860:4860::8888]", "::ffff:8.8.8.8", "64:ff9b::808:808",
                          "2002:808:808::1"})
        CHECK(public_address(a));
}

TEST_CASE("what is not an address literal is not public") {
    for (const char* a : {"", "localhost", "example.com", "1.2.3", "::ffff:999.0.0.1", "[]"}) CHECK_FALSE(public_address(a));
}

TEST_CASE("webhook urls: http(s) only, and no private host unless allowed") {
    CHECK_FALSE(check_webhook_url("https://192.0.2.1/hook", false));
    CHECK_FALSE(check_webhook_url("http://8.8.8.8:8080/x?y=1", false));
    for (const char* u : {"ftp://8.8.8.8/", "file:///etc/passwd", "gopher://8.8.8.8/", "not a url", "https://",
                          "//8.8.8.8/x", "http://8.8.8.8/a b"}) {
        auto p = check_webhook_url(u, false);
        REQUIRE(p);
        CHECK_FALSE(p->not_allowed);
        CHECK(check_webhook_url(u, true));  // the setting allows addresses, not schemes
    }
    for (const char* u : {"http://127.0.0.1/", "http://localhost:8080/", "http://[::1]:9/", "http://[::ffff:10.1.1.1]/",
                          "https://169.254.169.254/latest/meta-data", "http://[fe80::1%25eth0]/", "http://0x7f.1/",
                          "http://2130706433/", "http://017700000001/"}) {
        auto p = check_webhook_url(u, false);
        REQUIRE(p);
        CHECK(p->not_allowed);
        CHECK_FALSE(check_webhook_url(u, true));
    }
}

TEST_CASE("Shop-Signature: the header a delivery carries verifies with its secret only") {
    const std::string body = R"({"id":"evt_1","type":"order.paid","created_at":"2026-11-25T17:40:44Z","data":{}})";
    const std::string header = shop::core::signature_header("whsec_a", 1'800'000'000, body);
    CHECK(header.rfind("t=1800000000,v1=", 0) == 0);
    CHECK(header.size() == std::string("t=1800000000,v1=").size() + 64);
    CHECK(shop::core::verify_signature("whsec_a", header, body, 1'800'000'100));
    CHECK_FALSE(shop::core::verify_signature("whsec_b", header, body, 1'800'000'100));
    CHECK_FALSE(shop::core::verify_signature("whsec_a", header, body + " ", 1'800'000'100));
    CHECK_FALSE(shop::core::verify_signature("whsec_a", header, body, 1'800'000'000 + 301));
}
