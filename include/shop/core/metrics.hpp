#pragma once
// A small Prometheus registry. Counters are looked up once and then bumped lock-free.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace shop::core {

class Counter {
public:
    void inc(std::int64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
    std::int64_t value() const { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> v_{0};
};

class Gauge {
public:
    void add(std::int64_t n) { v_.fetch_add(n, std::memory_order_relaxed); }
    void set(std::int64_t n) { v_.store(n, std::memory_order_relaxed); }
    std::int64_t value() const { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> v_{0};
};

class Histogram {
public:
    explicit Histogram(std::vector<double> bounds);
    void observe(double v);
    const std::vector<double>& bounds() const { return bounds_; }
    std::vector<std::int64_t> bucket_counts() const;  // cumulative, one per bound then +Inf
    double sum() const;
    std::int64_t count() const;

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::int64_t>[]> buckets_;
    std::atomic<std::int64_t> count_{0};
    std::atomic<std::int64_t> sum_micro_{0};
};

class Metrics {
public:
    // labels are rendered Prometheus labels without braces: `route="/x",status="200"`.
    Counter& counter(const std::string& name, const std::string& help, const std::string& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const std::string& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help, std::vector<double> bounds,
                         const std::string& labels = {});
    std::string render() const;  // text exposition format 0.0.4

private:
    struct Family {
        std::string help;
        std::string type;
        std::map<std::string, std::unique_ptr<Counter>> counters;
        std::map<std::string, std::unique_ptr<Gauge>> gauges;
        std::map<std::string, std::unique_ptr<Histogram>> histograms;
    };
    Family& family(const std::string& name, const std::string& help, const char* type);
    mutable std::mutex mu_;
    std::map<std::string, Family> families_;
};

}  // namespace shop::core
