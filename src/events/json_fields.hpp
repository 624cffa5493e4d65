#pragma once
// Strict readers for event data: each names the field it could not read, and none converts
// (a float is not an integer, a number is not a string), as the subscribers checked before
// the events had structs.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shop::events::fields {

struct BadField : std::runtime_error {
    using std::runtime_error::runtime_error;
};

const nlohmann::json& field(const nlohmann::json& j, const char* key);
std::string text(const nlohmann::json& j, const char* key);
std::int64_t integer(const nlohmann::json& j, const char* key);
std::optional<std::string> nullable_text(const nlohmann::json& j, const char* key);
std::vector<std::string> texts(const nlohmann::json& j, const char* key);
// The array under key, each element read by from_json into a T.
template <class T>
std::vector<T> list(const nlohmann::json& j, const char* key) {
    const nlohmann::json& a = field(j, key);
    if (!a.is_array()) throw BadField(std::string("field ") + key + " is not an array");
    std::vector<T> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) from_json(a[i], out[i]);
    return out;
}

nlohmann::json nullable(const std::optional<std::string>& v);

}  // namespace shop::events::fields
