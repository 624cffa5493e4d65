#include "product/conditional.hpp"

#include <catch2/catch.hpp>

using namespace shop::product;

TEST_CASE("the ETag is the version as a strong, quoted tag") {
    CHECK(etag_for(1) == "\"1\"");
    CHECK(etag_for(42) == "\"42\"");
}

TEST_CASE("If-None-Match: lists, star and weak tags match with weak comparison") {
    CHECK(none_match_hits("\"3\"", 3));
    CHECK_FALSE(none_match_hits("\"2\"", 3));
    CHECK(none_match_hits("*", 3));
    CHECK(none_match_hits("W/\"3\"", 3));
    CHECK(none_match_hits("\"1\", \"2\",W/\"3\"", 3));
    CHECK_FALSE(none_match_hits("\"1\", \"2\"", 3));
    CHECK_FALSE(none_match_hits("\"33\"", 3));
    CHECK_FALSE(none_match_hits("3", 3));  // unquoted: not an entity tag
    CHECK_FALSE(none_match_hits("", 3));
    CHECK_FALSE(none_match_hits("\"3", 3));
}

TEST_CASE("If-Match: strong comparison, so weak tags never match") {
    CHECK(match_allows("\"5\"", 5));
    CHECK(match_allows("*", 5));
    CHECK(match_allows("\"4\", \"5\"", 5));
    CHECK_FALSE(match_allows("\"4\"", 5));
    CHECK_FALSE(match_allows("W/\"5\"", 5));
    CHECK_FALSE(match_allows("garbage", 5));
}
