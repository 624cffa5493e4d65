#include "shop/core/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace shop::core {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<std::int64_t>[bounds_.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) {
    auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
    buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_micro_.fetch_add(static_cast<std::int64_t>(v * 1e6), std::memory_order_relaxed);
}

std::vector<std::int64_t> Histogram::bucket_counts() const {
    std::vector<std::int64_t> out;
    std::int64_t acc = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        acc += buckets_[i].load(std::memory_order_relaxed);
        out.push_back(acc);
    }
    return out;
}

double Histogram::sum() const { return static_cast<double>(sum_micro_.load()) / 1e6; }
std::int64_t Histogram::count() const { return count_.load(); }

Metrics::Family& Metrics::family(const std::string& name, const std::string& help, const char* type) {
    auto& f = families_[name];
    if (f.type.empty()) {
        f.help = help;
        f.type = type;
    }
    return f;
}

Counter& Metrics::counter(const std::string& name, const std::string& help, const std::string& labels) {
    std::lock_guard lock(mu_);
    auto& slot = family(name, help, "counter").counters[labels];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Gauge& Metrics::gauge(const std::string& name, const std::string& help, const std::string& labels) {
    std::lock_guard lock(mu_);
    auto& slot = family(name, help, "gauge").gauges[labels];
    if (!slot) slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram& Metrics::histogram(const std::string& name, const std::string& help, std::vector<double> bounds,
                              const std::string& labels) {
    std::lock_guard lock(mu_);
    auto& slot = family(name, help, "histogram").histograms[labels];
    if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
    return *slot;
}

namespace {
std::string braces(const std::string& labels, const std::string& extra = {}) {
    if (labels.empty() && extra.empty()) return {};
    if (labels.empty()) return "{" + extra + "}";
    if (extra.empty()) return "{" + labels + "}";
    return "{" + labels + "," + extra + "}";
}
}  // namespace

std::string Metrics::render() const {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& [name, f] : families_) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, f.help, name, f.type);
        for (const auto& [labels, c] : f.counters) out += fmt::format("{}{} {}\n", name, braces(labels), c->value());
        for (const auto& [labels, g] : f.gauges) out += fmt::format("{}{} {}\n", name, braces(labels), g->value());
        for (const auto& [labels, h] : f.histograms) {
            auto counts = h->bucket_counts();
            for (std::size_t i = 0; i < h->bounds().size(); ++i)
                out += fmt::format("{}_bucket{} {}\n", name, braces(labels, fmt::format("le=\"{}\"", h->bounds()[i])),
                                   counts[i]);
            out += fmt::format("{}_bucket{} {}\n", name, braces(labels, "le=\"+Inf\""), counts.back());
            out += fmt::format("{}_sum{} {}\n", name, braces(labels), h->sum());
            out += fmt::format("{}_count{} {}\n", name, braces(labels), h->count());
        }
    }
    return out;
}

}  // namespace shop::core
