#pragma once
// What every backend can store as text: valid UTF-8 without U+0000 (PostgreSQL's text holds
// nothing else; SQLite would keep any bytes). Requests are checked against it once, where
// they are read (http::Context, http::Request), so both backends store the same things and
// no storage engine has to refuse text.
#include <nlohmann/json_fwd.hpp>

#include <string_view>

namespace shop::core {

bool storable_text(std::string_view s);
// Every string and object key in v, at any depth.
bool storable_json_text(const nlohmann::json& v);

}  // namespace shop::core
