#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "shop/core/text.hpp"

using shop::core::storable_json_text;
using shop::core::storable_text;

TEST_CASE("storable text is UTF-8 without U+0000") {
    CHECK(storable_text(""));
    CHECK(storable_text("plain ascii"));
    CHECK(storable_text("Cr\xc3\xa8me \xf0\x9f\x8d\xb0 \xe2\x82\xac"));
    CHECK_FALSE(storable_text(std::string("a\0b", 3)));   // NUL
    CHECK_FALSE(storable_text("prod_\xa5x"));             // a lone continuation byte
    CHECK_FALSE(storable_text("\xe2\x82"));               // truncated sequence
    CHECK_FALSE(storable_text("\xed\xa0\x80"));           // a UTF-16 surrogate
    CHECK_FALSE(storable_text("\xc0\xaf"));               // overlong '/'
    CHECK_FALSE(storable_text("\xf4\x90\x80\x80"));       // above U+10FFFF
}

TEST_CASE("storable JSON text checks every string and key at any depth") {
    using nlohmann::json;
    CHECK(storable_json_text(json{{"a", {1, "b", {{"c", nullptr}}}}}));
    CHECK_FALSE(storable_json_text(json{{"a", {1, std::string("b\0", 2)}}}));
    CHECK_FALSE(storable_json_text(json{{std::string("k\0", 2), 1}}));
    CHECK_FALSE(storable_json_text(json::array({json::array({std::string("\0", 1)})})));
}
