#include <catch2/catch.hpp>

#include "gateway/rate_limiter.hpp"

using namespace shop;
using Clock = gateway::RateLimiter::Clock;

TEST_CASE("a bucket allows its burst, then refills at the rate") {
    gateway::RateLimiter rl({10, 5}, {1, 2});
    auto t0 = Clock::now();
    for (int i = 0; i < 5; ++i) CHECK(rl.check("1.2.3.4", http::RateClass::Default, t0) == 0);
    int wait = rl.check("1.2.3.4", http::RateClass::Default, t0);
    CHECK(wait >= 1);
    // Another client and another class have their own buckets.
    CHECK(rl.check("5.6.7.8", http::RateClass::Default, t0) == 0);
    CHECK(rl.check("1.2.3.4", http::RateClass::Auth, t0) == 0);
    // 100 ms at 10/s refills one token.
    CHECK(rl.check("1.2.3.4", http::RateClass::Default, t0 + std::chrono::milliseconds(110)) == 0);
    CHECK(rl.check("1.2.3.4", http::RateClass::Default, t0 + std::chrono::milliseconds(110)) >= 1);
}

TEST_CASE("Retry-After is how long until a token is back") {
    gateway::RateLimiter rl({0.5, 1}, {0.5, 1});
    auto t0 = Clock::now();
    CHECK(rl.check("c", http::RateClass::Default, t0) == 0);
    CHECK(rl.check("c", http::RateClass::Default, t0) == 2);
}

TEST_CASE("rate 0 turns the limiter off") {
    gateway::RateLimiter rl({0, 0}, {0, 0});
    for (int i = 0; i < 1000; ++i) CHECK(rl.check("c", http::RateClass::Default) == 0);
    CHECK(rl.size() == 0);
}

TEST_CASE("idle buckets are swept so memory stays bounded") {
    gateway::RateLimiter rl({100, 10}, {100, 10}, 100);
    auto t0 = Clock::now();
    for (int i = 0; i < 1000; ++i) rl.check("client" + std::to_string(i), http::RateClass::Default, t0 + std::chrono::seconds(i));
    CHECK(rl.size() <= 100);
}
