#pragma once
#include <chrono>
#include <functional>

namespace shop::core {

// Lets a module run background work without seeing the event loop: the loop's timer fires
// and the function runs on the worker pool, never on the loop itself.
class Scheduler {
public:
    virtual ~Scheduler() = default;
    virtual void every(std::chrono::milliseconds interval, std::function<void()> fn) = 0;
    virtual void post(std::function<void()> fn) = 0;
};

}  // namespace shop::core
