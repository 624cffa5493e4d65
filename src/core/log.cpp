#include "shop/core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

namespace shop::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::Info)};

constexpr std::string_view kNames[] = {"debug", "info", "warn", "error"};

std::string timestamp() {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}
}  // namespace

void set_level(Level l) { g_level.store(static_cast<int>(l)); }

bool set_level(std::string_view name) {
    for (int i = 0; i < 4; ++i) {
        if (kNames[i] == name) {
            set_level(static_cast<Level>(i));
            return true;
        }
    }
    return false;
}

bool enabled(Level l) { return static_cast<int>(l) >= g_level.load(std::memory_order_relaxed); }

void write(Level l, std::string_view msg) { write(l, msg, nlohmann::ordered_json()); }

std::string record(Level l, std::string_view msg, const nlohmann::ordered_json& fields) {
    nlohmann::ordered_json r = {{"ts", timestamp()}, {"level", kNames[static_cast<int>(l)]}, {"msg", msg}};
    if (fields.is_object())
        for (const auto& [key, value] : fields.items()) r[key] = value;
    std::string line = r.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    line.push_back('\n');
    return line;
}

void write(Level l, std::string_view msg, const nlohmann::ordered_json& fields) {
    if (!enabled(l)) return;
    const std::string line = record(l, msg, fields);
    // One write() per line: lines from several threads never interleave mid-line.
    std::size_t off = 0;
    while (off < line.size()) {
        ssize_t n = ::write(STDERR_FILENO, line.data() + off, line.size() - off);
        if (n <= 0) break;
        off += static_cast<std::size_t>(n);
    }
}

}  // namespace shop::log
