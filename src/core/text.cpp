#include "shop/core/text.hpp"

#include <nlohmann/json.hpp>

#include <string>

#include <utf8.h>

namespace shop::core {

bool storable_text(std::string_view s) {
    // utfcpp (Debian's libutfcpp-dev, header-only) refuses truncated and overlong sequences,
    // surrogates and code points past U+10FFFF; PostgreSQL's text also refuses U+0000.
    return s.find('\0') == std::string_view::npos && utf8::find_invalid(s.begin(), s.end()) == s.end();
}

bool storable_json_text(const nlohmann::json& v) {
    if (v.is_string()) return storable_text(v.get_ref<const std::string&>());
    if (v.is_object()) {
        for (const auto& [k, e] : v.items())
            if (!storable_text(k) || !storable_json_text(e)) return false;
    } else if (v.is_array()) {
        for (const auto& e : v)
            if (!storable_json_text(e)) return false;
    }
    return true;
}

}  // namespace shop::core
