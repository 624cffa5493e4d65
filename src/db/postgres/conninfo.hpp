#pragma once
// Reading a PostgreSQL connection string without connecting, for checks made at start-up.
// Core's config calls this; libpq itself stays behind src/db.
#include <optional>
#include <string>
#include <string_view>

namespace shop::db::postgres {

// The password the string (URL or key=value) gives, as libpq would read it when connecting
// (percent-decoded, unquoted, the last spelling winning); nullopt when it names none or
// libpq cannot read the string.
std::optional<std::string> password_of(std::string_view conninfo);

}  // namespace shop::db::postgres
