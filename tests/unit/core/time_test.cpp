#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "shop/core/random.hpp"
#include "shop/core/time.hpp"

using namespace shop::core;

TEST_CASE("RFC 3339 formatting is whole seconds in UTC") {
    CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
    CHECK(format_rfc3339(1795801244999) == "2026-11-27T17:40:44Z");
}

TEST_CASE("RFC 3339 parsing") {
    CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_rfc3339("2026-11-25") == parse_rfc3339("2026-11-25T00:00:00Z"));
    CHECK(parse_rfc3339("2026-11-25T17:40:44.5Z") == *parse_rfc3339("2026-11-25T17:40:44Z") + 500);
    CHECK(parse_rfc3339("2026-11-25T19:40:44+02:00") == parse_rfc3339("2026-11-25T17:40:44Z"));
    CHECK(parse_rfc3339(format_rfc3339(1795801244000)) == 1795801244000);
    for (const char* bad : {"", "2026", "2026-13-01", "2026-02-30", "2026-11-25T25:00:00Z", "2026-11-25T17:40:44",
                            "2026-11-25T17:40:44Zjunk", "yesterday", "2026-11-25T17:40:44+2"})
        CHECK_FALSE(parse_rfc3339(bad).has_value());
}

TEST_CASE("ids carry their prefix, are unique and sort by creation time") {
    std::string a = new_id("prod");
    std::string b = new_id("prod");
    CHECK(a.rfind("prod_", 0) == 0);
    CHECK(a.size() == 5 + 26);
    CHECK(a != b);
    CHECK(a.substr(0, 15) <= b.substr(0, 15));
    CHECK(random_token(32).size() == 43);
}

TEST_CASE("ids made one after another sort in the order they were made") {
    std::vector<std::string> ids;
    for (int i = 0; i < 2000; ++i) ids.push_back(new_id("ord").substr(4));
    CHECK(std::is_sorted(ids.begin(), ids.end()));
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
}
