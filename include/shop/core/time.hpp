#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shop::core {

std::int64_t now_ms();  // wall clock, Unix epoch
// "2026-11-25T17:40:44Z" (whole seconds, UTC, as the contract's examples)
std::string format_rfc3339(std::int64_t epoch_ms);
// Accepts "2026-11-25", "2026-11-25T17:40:44Z", fractional seconds and numeric offsets.
std::optional<std::int64_t> parse_rfc3339(std::string_view s);

}  // namespace shop::core
