#include <fmt/format.h>

#include "shop/db/errors.hpp"
#include "shop/db/migrator.hpp"
#include "shop/db/value.hpp"

namespace shop::db {

const Value& Row::at(std::size_t i) const {
    if (i >= cols_.size()) throw DbError(fmt::format("column {} out of range ({} columns)", i, cols_.size()));
    return cols_[i];
}

bool Row::is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(at(i)); }

std::int64_t Row::i64(std::size_t i) const {
    const Value& v = at(i);
    if (auto p = std::get_if<std::int64_t>(&v)) return *p;
    if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
    if (auto p = std::get_if<std::string>(&v)) return std::stoll(*p);
    throw DbError(fmt::format("column {} is NULL, expected an integer", i));
}

double Row::f64(std::size_t i) const {
    const Value& v = at(i);
    if (auto p = std::get_if<double>(&v)) return *p;
    if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
    if (auto p = std::get_if<std::string>(&v)) return std::stod(*p);
    throw DbError(fmt::format("column {} is NULL, expected a number", i));
}

const std::string& Row::str(std::size_t i) const {
    const Value& v = at(i);
    if (auto p = std::get_if<std::string>(&v)) return *p;
    throw DbError(fmt::format("column {} is not text", i));
}

const std::string& Row::blob(std::size_t i) const {
    const Value& v = at(i);
    if (auto p = std::get_if<Blob>(&v)) return p->bytes;
    throw DbError(fmt::format("column {} is not bytes", i));
}

std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return i64(i);
}

std::optional<std::string> Row::opt_str(std::size_t i) const {
    if (is_null(i)) return std::nullopt;
    return str(i);
}

void Migrator::add(std::string module, int version, std::string sqlite_sql, std::string postgres_sql) {
    migrations_.push_back({std::move(module), version, std::move(sqlite_sql), std::move(postgres_sql)});
}

}  // namespace shop::db
