#include "events/json_fields.hpp"

namespace shop::events::fields {

using nlohmann::json;

const json& field(const json& j, const char* key) {
    if (!j.is_object()) throw BadField("the data is not a JSON object");
    auto it = j.find(key);
    if (it == j.end()) throw BadField(std::string("field ") + key + " is missing");
    return *it;
}

std::string text(const json& j, const char* key) {
    const json& v = field(j, key);
    if (!v.is_string()) throw BadField(std::string("field ") + key + " is not a string");
    return v.get<std::string>();
}

std::int64_t integer(const json& j, const char* key) {
    const json& v = field(j, key);
    if (!v.is_number_integer()) throw BadField(std::string("field ") + key + " is not an integer");
    return v.get<std::int64_t>();
}

std::optional<std::string> nullable_text(const json& j, const char* key) {
    if (field(j, key).is_null()) return std::nullopt;
    return text(j, key);
}

std::vector<std::string> texts(const json& j, const char* key) {
    const json& a = field(j, key);
    if (!a.is_array()) throw BadField(std::string("field ") + key + " is not an array");
    std::vector<std::string> out;
    for (const auto& v : a) {
        if (!v.is_string()) throw BadField(std::string("field ") + key + " holds a non-string");
        out.push_back(v.get<std::string>());
    }
    return out;
}

json nullable(const std::optional<std::string>& v) {
    return v ? json(*v) : json(nullptr);
}

}  // namespace shop::events::fields
