#include "shop_ids.hpp"

#include <chrono>
#include <ctime>

namespace shop::bench {

namespace {
constexpr char kBase32[] = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr std::uint64_t k40 = (std::uint64_t{1} << 40) - 1;
}  // namespace

std::string IdMaker::make(std::string_view prefix, std::int64_t t_ms) {
    auto t = static_cast<std::uint64_t>(t_ms);
    if (t <= last_t_) {
        t = last_t_;
        lo_ = (lo_ + 1) & k40;
        hi_ = (hi_ + (lo_ == 0 ? 1 : 0)) & k40;
    } else {
        hi_ = (rng_() & k40) >> 1;
        lo_ = rng_() & k40;
    }
    last_t_ = t;
    std::string out(prefix);
    out.push_back('_');
    for (int i = 9; i >= 0; --i) out.push_back(kBase32[(t >> (i * 5)) & 31]);
    for (int i = 7; i >= 0; --i) out.push_back(kBase32[(hi_ >> (i * 5)) & 31]);
    for (int i = 7; i >= 0; --i) out.push_back(kBase32[(lo_ >> (i * 5)) & 31]);
    return out;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string rfc3339(std::int64_t ms) {
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace shop::bench
