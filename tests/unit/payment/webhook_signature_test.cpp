#include <catch2/catch.hpp>

#include "problem.hpp"

#include "payment/sandbox_provider.hpp"
#include "payment/webhook_signature.hpp"
#include "shop/core/error.hpp"
#include "test_db.hpp"

using namespace shop::payment;

TEST_CASE("a signature made with the secret over t.body verifies") {
    std::string body = R"({"id":"evt_1","type":"payment.succeeded","data":{"payment_id":"pay_1"}})";
    std::int64_t now = 1795801244;
    std::string header = "t=" + std::to_string(now) + ",v1=" + sign_webhook("whsec", now, body);
    CHECK(verify_webhook("whsec", header, body, now));
    CHECK(verify_webhook("whsec", header, body, now + 299));
    // Several v1 entries (a secret being rotated): any match counts.
    CHECK(verify_webhook("whsec", "t=" + std::to_string(now) + ",v1=00ff,v1=" + sign_webhook("whsec", now, body), body,
                         now));
}

TEST_CASE("tampered body, old or future timestamp, wrong secret, garbage: refused") {
    std::string body = R"({"id":"evt_1"})";
    std::int64_t now = 1795801244;
    std::string sig = sign_webhook("whsec", now, body);
    std::string header = "t=" + std::to_string(now) + ",v1=" + sig;
    CHECK_FALSE(verify_webhook("whsec", header, body + " ", now));
    CHECK_FALSE(verify_webhook("whsec", header, body, now + 301));
    CHECK_FALSE(verify_webhook("whsec", header, body, now - 301));
    CHECK_FALSE(verify_webhook("other", header, body, now));
    CHECK_FALSE(verify_webhook("", header, body, now));
    // The timestamp is signed: changing it breaks the signature.
    CHECK_FALSE(verify_webhook("whsec", "t=" + std::to_string(now + 1) + ",v1=" + sig, body, now));
    for (const char* bad : {"", "t=,v1=", "v1=abc", "t=abc,v1=" , "t=-5,v1=00", "garbage"})
        CHECK_FALSE(verify_webhook("whsec", bad, body, now));
}

TEST_CASE("the sandbox refuses unsigned webhooks with invalid_signature") {
    shop::test::TestDb t;  // the sandbox's books; parse_webhook never reads them
    SandboxProvider p("whsec", t.db());
    try {
        p.parse_webhook("t=1,v1=00", "{}", 1795801244);
        FAIL("expected invalid_signature");
    } catch (const shop::Error& e) {
        CHECK(shop::test::status_of(e) == 400);
        CHECK(e.code() == "invalid_signature");
    }
    std::string body = R"({"id":"evt_9","type":"payment.failed","data":{"payment_id":"pay_7"}})";
    auto e = p.parse_webhook("t=100,v1=" + sign_webhook("whsec", 100, body), body, 100);
    CHECK(e.id == "evt_9");
    CHECK(e.type == "payment.failed");
    CHECK(e.payment_id == "pay_7");
}
