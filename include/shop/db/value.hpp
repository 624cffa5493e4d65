#pragma once
// Values crossing the database seam. Deliberately few types, so every backend maps them
// the same way: integers (money, counts, times in ms), reals, text, bytes (BLOB on SQLite,
// BYTEA on PostgreSQL: images), and NULL.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace shop::db {

// Bytes that are not text: stored and read back exactly, never checked as UTF-8.
struct Blob {
    std::string bytes;
    bool operator==(const Blob&) const = default;
};

using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, Blob>;

template <class T>
Value to_value(const T& v) {
    if constexpr (std::is_same_v<T, std::nullptr_t>) {
        return nullptr;
    } else if constexpr (std::is_same_v<T, bool>) {
        return std::int64_t{v ? 1 : 0};
    } else if constexpr (std::is_integral_v<T>) {
        return static_cast<std::int64_t>(v);
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<double>(v);
    } else if constexpr (std::is_same_v<T, Blob>) {
        return v;
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        return std::string(std::string_view(v));
    } else {
        // std::optional<U>: NULL when empty.
        return v ? to_value(*v) : Value{nullptr};
    }
}

class Row {
public:
    explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}

    std::size_t size() const { return cols_.size(); }
    bool is_null(std::size_t i) const;
    std::int64_t i64(std::size_t i) const;  // NULL is an error; use opt_i64
    double f64(std::size_t i) const;
    const std::string& str(std::size_t i) const;
    const std::string& blob(std::size_t i) const;  // the bytes of a BLOB/BYTEA column
    std::optional<std::int64_t> opt_i64(std::size_t i) const;
    std::optional<std::string> opt_str(std::size_t i) const;
    const Value& at(std::size_t i) const;

private:
    std::vector<Value> cols_;
};

using Rows = std::vector<Row>;

}  // namespace shop::db
