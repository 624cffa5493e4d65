#pragma once
// Token buckets per (client address, route class). Touched only from the event loop, so
// it takes no lock. Idle buckets are swept so memory stays bounded under address churn.
#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "shop/http/route.hpp"

namespace shop::gateway {

class RateLimiter {
public:
    struct Limit {
        double rate;   // tokens per second; 0 = unlimited
        double burst;  // bucket size
    };
    using Clock = std::chrono::steady_clock;

    RateLimiter(Limit default_limit, Limit auth_limit, std::size_t max_buckets = 100000);
    // A class of its own (Checkout, Signup); unset classes share the default limit.
    void set(http::RateClass cls, Limit limit) { extra_[static_cast<int>(cls)] = limit; }

    // 0 when allowed (a token is taken); otherwise seconds until a token is available.
    int check(const std::string& client, http::RateClass cls, Clock::time_point now = Clock::now());
    std::size_t size() const { return buckets_.size(); }

private:
    struct Bucket {
        double tokens;
        Clock::time_point last;
    };
    Limit limit_for(http::RateClass cls) const;
    void sweep(Clock::time_point now);

    Limit default_;
    Limit auth_;
    std::unordered_map<int, Limit> extra_;
    std::size_t max_buckets_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace shop::gateway
