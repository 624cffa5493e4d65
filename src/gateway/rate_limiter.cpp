#include "gateway/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace shop::gateway {

RateLimiter::RateLimiter(Limit default_limit, Limit auth_limit, std::size_t max_buckets)
    : default_(default_limit), auth_(auth_limit), max_buckets_(max_buckets) {}

RateLimiter::Limit RateLimiter::limit_for(http::RateClass cls) const {
    if (cls == http::RateClass::Unlimited) return {0, 0};
    if (auto it = extra_.find(static_cast<int>(cls)); it != extra_.end()) return it->second;
    return cls == http::RateClass::Auth ? auth_ : default_;
}

int RateLimiter::check(const std::string& client, http::RateClass cls, Clock::time_point now) {
    Limit lim = limit_for(cls);
    if (lim.rate <= 0) return 0;
    if (buckets_.size() >= max_buckets_) sweep(now);
    std::string key = client;
    key.push_back('#');
    key.push_back(static_cast<char>('0' + static_cast<int>(cls)));
    auto [it, fresh] = buckets_.try_emplace(std::move(key), Bucket{lim.burst, now});
    Bucket& b = it->second;
    if (!fresh) {
        double elapsed = std::chrono::duration<double>(now - b.last).count();
        b.tokens = std::min(lim.burst, b.tokens + elapsed * lim.rate);
        b.last = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / lim.rate)));
}

void RateLimiter::sweep(Clock::time_point now) {
    // A bucket that would be full again carries no information: drop it.
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        double age = std::chrono::duration<double>(now - it->second.last).count();
        Limit lim = it->first.back() == '0' + static_cast<int>(http::RateClass::Auth) ? auth_ : default_;
        if (it->second.tokens + age * lim.rate >= lim.burst) it = buckets_.erase(it);
        else ++it;
    }
    // Still full of active clients: forget the lot rather than grow without bound.
    if (buckets_.size() >= max_buckets_) buckets_.clear();
}

}  // namespace shop::gateway
