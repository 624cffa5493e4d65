#include "user/rules.hpp"

#include <catch2/catch.hpp>

#include "problem.hpp"

using namespace shop::user;

TEST_CASE("emails are trimmed and lower-cased") {
    CHECK(normalize_email("  Ann.Lee@Example.COM \t\n") == "ann.lee@example.com");
    CHECK(normalize_email("ann@example.com") == "ann@example.com");
    CHECK(normalize_email("") == "");
    CHECK(normalize_email("   ") == "");
    // Only ASCII letters change; UTF-8 bytes pass through untouched.
    CHECK(normalize_email("JÖRG@Example.de") == "jÖrg@example.de");
}

TEST_CASE("plausible addresses pass, broken ones do not") {
    for (const char* ok :
         {"a@b.co", "ann.lee+shop@example.com", "x_y-z@sub.example.org", "o'neil@example.ie", "jörg@bücher.de"})
        CHECK(valid_email(normalize_email(ok)));
    for (const char* bad : {"",
                            "ann",
                            "@example.com",
                            "ann@",
                            "ann@example",
                            "ann@@example.com",
                            "a@b@c.com",
                            "ann lee@example.com",
                            "ann@exa mple.com",
                            "ann@.example.com",
                            "ann@example..com",
                            "ann@example.com.",
                            "ann@-example.com",
                            "ann@example-.com",
                            ".ann@example.com",
                            "ann.@example.com",
                            "an..n@example.com",
                            "ann@exam_ple.com",
                            "a\"b@example.com",
                            "ann@example.com\n",
                            "<ann@example.com>"})
        CHECK_FALSE(valid_email(bad));
    CHECK_FALSE(valid_email(std::string(65, 'a') + "@example.com"));
    CHECK(valid_email(std::string(64, 'a') + "@example.com"));
    CHECK_FALSE(valid_email("a@" + std::string(250, 'b') + ".com"));
}

TEST_CASE("passwords are 8 to 128 characters, counted as characters") {
    CHECK(password_problem("1234567"));
    CHECK_FALSE(password_problem("12345678"));
    CHECK_FALSE(password_problem(std::string(128, 'x')));
    CHECK(password_problem(std::string(129, 'x')));
    CHECK(utf8_length("\xc3\xa9\xc3\xa9") == 2);  // "éé": 4 bytes, 2 characters
    std::string eight_e_acute;
    for (int i = 0; i < 8; ++i) eight_e_acute += "\xc3\xa9";
    CHECK_FALSE(password_problem(eight_e_acute));
    std::string many_e_acute;
    for (int i = 0; i < 128; ++i) many_e_acute += "\xc3\xa9";  // 256 bytes, 128 characters
    CHECK_FALSE(password_problem(many_e_acute));
    CHECK(password_problem(many_e_acute + "x"));
    // Spaces count: nothing is trimmed from a password.
    CHECK_FALSE(password_problem("  pass  "));
}

TEST_CASE("read_email and read_password name the bad fields") {
    nlohmann::json body = {{"email", " Ann@Example.com "}, {"password", "short"}, {"other", 1}};
    shop::http::Fields f(body);
    CHECK(read_email(f, body, "email") == "ann@example.com");
    CHECK_FALSE(read_password(f, body, "password", true));
    CHECK_FALSE(read_password(f, body, "missing", false));
    CHECK_FALSE(read_email(f, body, "other"));
    try {
        f.done();
        FAIL("expected 422");
    } catch (const shop::Error& e) {
        CHECK(shop::test::status_of(e) == 422);
        REQUIRE(e.errors().size() == 2);
        CHECK(e.errors()[0].field == "password");
        CHECK(e.errors()[1].field == "other");
    }
}

TEST_CASE("a region is an ISO 3166-2 code of the address's country, upper-cased") {
    CHECK(normalize_region("US-CA", "US") == "US-CA");
    CHECK(normalize_region("us-ca", "US") == "US-CA");
    CHECK(normalize_region("Fr-75c", "FR") == "FR-75C");
    CHECK(normalize_region("GB-ENG", "GB") == "GB-ENG");
    CHECK(normalize_region("DE-9", "DE") == "DE-9");
    for (const char* bad : {"", "US", "US-", "USCA", "US_CA", "US-CAL1", "US-C A", "US--C", " US-CA", "US-ÇA",
                            "CA-ON",  // a code of another country
                            "U1-CA", "1S-CA"})
        CHECK_FALSE(normalize_region(bad, "US"));
    // A country that is not a two-letter code has no region code to match.
    CHECK_FALSE(normalize_region("GE-BE", "Germany"));
    CHECK_FALSE(normalize_region("GE-BE", ""));
}
