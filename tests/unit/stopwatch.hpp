#pragma once
// Wall time of a call, for the [.bench] cases (run by hand; tests never assert on time).
#include <chrono>

namespace shop::test {

template <class F>
double ms(F&& f) {
    auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace shop::test
