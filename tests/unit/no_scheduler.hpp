#pragma once
// A scheduler for unit tests: periodic jobs never run by themselves (a test calls the job
// when it wants it), and posted work runs at once.
#include <chrono>
#include <functional>

#include "shop/module.hpp"

namespace shop::test {

struct NoScheduler : core::Scheduler {
    void every(std::chrono::milliseconds, std::function<void()>) override {}
    void post(std::function<void()> fn) override { fn(); }
};

}  // namespace shop::test
