#pragma once
// UTC calendar arithmetic for analytics buckets: days, ISO weeks (starting Monday) and
// months, on times in milliseconds since the Unix epoch.
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace shop::analytics {

inline constexpr std::int64_t kDayMs = 86'400'000;

enum class Interval { Day, Week, Month };

std::optional<Interval> interval_from_string(std::string_view s);
std::string_view to_string(Interval i);

// Midnight UTC at or before t.
std::int64_t day_start(std::int64_t t);
// The start of the bucket holding t, and the start of the bucket after the one starting at `start`.
std::int64_t bucket_start(Interval i, std::int64_t t);
std::int64_t next_bucket(Interval i, std::int64_t start);

// A range [from, to) cut where whole UTC days can be read from daily aggregates: the whole
// days [full_from, full_to) (empty when full_from == full_to) and at most two pieces of a
// day at the edges, each within one day, to be read from per-order facts.
struct DaySplit {
    std::int64_t full_from = 0;
    std::int64_t full_to = 0;
    std::vector<std::pair<std::int64_t, std::int64_t>> edges;
};
DaySplit split_days(std::int64_t from, std::int64_t to);

}  // namespace shop::analytics
