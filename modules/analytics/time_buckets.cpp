#include "time_buckets.hpp"

namespace shop::analytics {

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Howard Hinnant's civil-date algorithms (proleptic Gregorian, days since 1970-01-01).
struct Civil {
    std::int64_t year;
    int month;
    int day;
};

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {yoe + era * 400 + (m <= 2), m, d};
}

std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

}  // namespace

std::optional<Interval> interval_from_string(std::string_view s) {
    if (s == "day") return Interval::Day;
    if (s == "week") return Interval::Week;
    if (s == "month") return Interval::Month;
    return std::nullopt;
}

std::string_view to_string(Interval i) {
    switch (i) {
        case Interval::Day: return "day";
        case Interval::Week: return "week";
        case Interval::Month: return "month";
    }
    return "day";
}

std::int64_t day_start(std::int64_t t) { return floor_div(t, kDayMs) * kDayMs; }

std::int64_t bucket_start(Interval i, std::int64_t t) {
    std::int64_t days = floor_div(t, kDayMs);
    switch (i) {
        case Interval::Day: return days * kDayMs;
        case Interval::Week: {
            // 1970-01-01 was a Thursday: Monday is 3 days before it.
            std::int64_t since_monday = days + 3 - floor_div(days + 3, 7) * 7;
            return (days - since_monday) * kDayMs;
        }
        case Interval::Month: {
            Civil c = civil_from_days(days);
            return days_from_civil(c.year, c.month, 1) * kDayMs;
        }
    }
    return days * kDayMs;
}

std::int64_t next_bucket(Interval i, std::int64_t start) {
    switch (i) {
        case Interval::Day: return start + kDayMs;
        case Interval::Week: return start + 7 * kDayMs;
        case Interval::Month: {
            Civil c = civil_from_days(floor_div(start, kDayMs));
            return c.month == 12 ? days_from_civil(c.year + 1, 1, 1) * kDayMs
                                 : days_from_civil(c.year, c.month + 1, 1) * kDayMs;
        }
    }
    return start + kDayMs;
}

DaySplit split_days(std::int64_t from, std::int64_t to) {
    DaySplit s;
    if (from >= to) return s;
    std::int64_t lo = day_start(from) == from ? from : day_start(from) + kDayMs;  // first midnight at or after from
    std::int64_t hi = day_start(to);                                              // last midnight at or before to
    if (lo > hi) {
        // Both ends inside one day.
        s.edges.emplace_back(from, to);
        return s;
    }
    if (from < lo) s.edges.emplace_back(from, lo);
    s.full_from = lo;
    s.full_to = hi;
    if (hi < to) s.edges.emplace_back(hi, to);
    return s;
}

}  // namespace shop::analytics
