#include "option_values_json.hpp"

#include <nlohmann/json.hpp>

namespace shop::search {

std::string option_values_json(const std::vector<OptionValue>& options) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : options) out.push_back({o.name, o.value});
    // Product text is checked UTF-8 when written; replacing keeps a stray byte from failing a write.
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<OptionValue> option_values_from_json(std::string_view text) {
    std::vector<OptionValue> out;
    if (text.empty() || text == "[]") return out;  // most products: skip the parser
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_array()) return out;
    for (const auto& pair : j)
        if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string())
            out.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
    return out;
}

}  // namespace shop::search
