#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace shop::bench {

// Ids shaped as shopd's core::new_id makes them ("ord_" + 10 base32 digits of milliseconds +
// 16 of random bits, increasing within a millisecond), so the primary-key indexes of the
// tables the bench writes grow at their right edge as shopd's do. The random bits come from
// a seeded generator: the runs repeat.
class IdMaker {
public:
    explicit IdMaker(std::uint64_t seed) : rng_(seed) {}
    std::string make(std::string_view prefix, std::int64_t t_ms);

private:
    std::mt19937_64 rng_;
    std::uint64_t last_t_ = 0, hi_ = 0, lo_ = 0;
};

std::int64_t now_ms();
// "2026-12-04T18:48:36Z", as core::format_rfc3339 writes order times.
std::string rfc3339(std::int64_t ms);

}  // namespace shop::bench
