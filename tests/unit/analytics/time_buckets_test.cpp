#include <catch2/catch.hpp>

#include "analytics/time_buckets.hpp"
#include "shop/core/time.hpp"

using namespace shop::analytics;
using shop::core::format_rfc3339;
using shop::core::parse_rfc3339;

namespace {
std::int64_t at(const char* s) { return *parse_rfc3339(s); }
std::string start(Interval i, const char* s) { return format_rfc3339(bucket_start(i, at(s))); }
}  // namespace

TEST_CASE("days, Monday weeks and months are UTC calendar periods") {
    CHECK(start(Interval::Day, "2026-11-25T17:40:44Z") == "2026-11-25T00:00:00Z");
    CHECK(start(Interval::Day, "2026-11-25T00:00:00Z") == "2026-11-25T00:00:00Z");
    // 2026-11-25 is a Wednesday; its week starts on Monday the 23rd.
    CHECK(start(Interval::Week, "2026-11-25T17:40:44Z") == "2026-11-23T00:00:00Z");
    CHECK(start(Interval::Week, "2026-11-23T00:00:00Z") == "2026-11-23T00:00:00Z");
    CHECK(start(Interval::Week, "2026-11-22T23:59:59Z") == "2026-11-16T00:00:00Z");  // a Sunday
    CHECK(start(Interval::Week, "1970-01-01T00:00:00Z") == "1969-12-29T00:00:00Z");
    CHECK(start(Interval::Month, "2026-11-25T17:40:44Z") == "2026-11-01T00:00:00Z");
    CHECK(start(Interval::Month, "2024-02-29T12:00:00Z") == "2024-02-01T00:00:00Z");
    CHECK(start(Interval::Day, "1969-12-31T23:00:00Z") == "1969-12-31T00:00:00Z");

    CHECK(format_rfc3339(next_bucket(Interval::Month, at("2026-12-01"))) == "2027-01-01T00:00:00Z");
    CHECK(format_rfc3339(next_bucket(Interval::Month, at("2024-02-01"))) == "2024-03-01T00:00:00Z");
    CHECK(format_rfc3339(next_bucket(Interval::Week, at("2026-11-23"))) == "2026-11-30T00:00:00Z");
    CHECK(interval_from_string("week") == Interval::Week);
    CHECK_FALSE(interval_from_string("year"));
}

TEST_CASE("a range splits into whole days and partial-day edges") {
    auto s = split_days(at("2026-11-01"), at("2026-11-08"));
    CHECK(s.full_from == at("2026-11-01"));
    CHECK(s.full_to == at("2026-11-08"));
    CHECK(s.edges.empty());

    s = split_days(at("2026-11-01T12:00:00Z"), at("2026-11-03T06:00:00Z"));
    CHECK(s.full_from == at("2026-11-02"));
    CHECK(s.full_to == at("2026-11-03"));
    REQUIRE(s.edges.size() == 2);
    CHECK(s.edges[0] == std::pair(at("2026-11-01T12:00:00Z"), at("2026-11-02")));
    CHECK(s.edges[1] == std::pair(at("2026-11-03"), at("2026-11-03T06:00:00Z")));

    // Inside one day: one edge, no whole day.
    s = split_days(at("2026-11-01T01:00:00Z"), at("2026-11-01T02:00:00Z"));
    CHECK(s.full_from == s.full_to);
    REQUIRE(s.edges.size() == 1);
    CHECK(s.edges[0] == std::pair(at("2026-11-01T01:00:00Z"), at("2026-11-01T02:00:00Z")));

    // Across one midnight: two edges and no whole day.
    s = split_days(at("2026-11-01T23:00:00Z"), at("2026-11-02T01:00:00Z"));
    CHECK(s.full_from == s.full_to);
    CHECK(s.edges.size() == 2);

    CHECK(split_days(at("2026-11-02"), at("2026-11-01")).edges.empty());
}
