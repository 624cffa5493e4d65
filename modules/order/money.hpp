#pragma once
#include <cstdint>
#include <optional>

namespace shop::order {

// Most of one product in one line: enough for any shop, small enough that totals of
// realistic prices never overflow.
inline constexpr std::int64_t kMaxQuantity = 1000;
inline constexpr int kMaxLines = 100;

// price * quantity, or nullopt on overflow.
inline std::optional<std::int64_t> line_total(std::int64_t price, std::int64_t quantity) {
    std::int64_t out;
    if (__builtin_mul_overflow(price, quantity, &out)) return std::nullopt;
    return out;
}

inline std::optional<std::int64_t> add_money(std::int64_t a, std::int64_t b) {
    std::int64_t out;
    if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
    return out;
}

}  // namespace shop::order
