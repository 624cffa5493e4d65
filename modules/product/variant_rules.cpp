#include "variant_rules.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>


namespace shop::product {

using nlohmann::json;

namespace {

void check_text(const json& v, std::size_t max, const std::string& field, const char* what,
                std::vector<FieldError>& errors) {
    if (!v.is_string()) {
        errors.push_back({field, fmt::format("must be a string ({})", what)});
        return;
    }
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > max)
        errors.push_back({field, fmt::format("must be 1 to {} bytes", max)});
    else if (has_control_chars(s))
        errors.push_back({field, "must not contain control characters"});
    else if (s.front() == ' ' || s.back() == ' ')
        errors.push_back({field, "must not begin or end with a space"});
}

std::string folded(const std::string& s) {
    std::string out = s;
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

bool has_control_chars(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f) return true;
    return false;
}

void check_options(const json& options, std::vector<FieldError>& errors) {
    if (!options.is_array()) {
        errors.push_back({"options", "must be an array of {name, values}"});
        return;
    }
    if (options.size() > kMaxOptions) errors.push_back({"options", fmt::format("at most {} options", kMaxOptions)});
    std::set<std::string> names;
    for (std::size_t i = 0; i < options.size() && i < kMaxOptions; ++i) {
        const json& o = options[i];
        const std::string at = fmt::format("options[{}]", i);
        if (!o.is_object()) {
            errors.push_back({at, "must be an object {name, values}"});
            continue;
        }
        for (const auto& [key, _] : o.items())
            if (key != "name" && key != "values") errors.push_back({at + "." + key, "is not a known field"});
        if (!o.contains("name")) {
            errors.push_back({at + ".name", "is required"});
        } else {
            check_text(o["name"], kMaxOptionName, at + ".name", "the option's name", errors);
            if (o["name"].is_string()) {
                const auto& name = o["name"].get_ref<const std::string&>();
                // ?option=Name:Value splits at the first ':'.
                if (name.find(':') != std::string::npos) errors.push_back({at + ".name", "must not contain ':'"});
                if (!names.insert(folded(name)).second) errors.push_back({at + ".name", "names an option twice"});
            }
        }
        if (!o.contains("values") || !o["values"].is_array() || o["values"].empty() ||
            o["values"].size() > kMaxOptionValues) {
            errors.push_back({at + ".values", fmt::format("must be an array of 1 to {} strings", kMaxOptionValues)});
            continue;
        }
        std::set<std::string> values;
        for (std::size_t k = 0; k < o["values"].size(); ++k) {
            const json& v = o["values"][k];
            const std::string vat = fmt::format("{}.values[{}]", at, k);
            check_text(v, kMaxOptionValue, vat, "one value of the option", errors);
            if (v.is_string() && !values.insert(v.get<std::string>()).second)
                errors.push_back({vat, "names a value twice"});
        }
    }
}

void check_combination(const json& product_options, const json& combination, const std::string& field,
                       std::vector<FieldError>& errors) {
    if (!combination.is_object()) {
        errors.push_back({field, "must be an object {option name: value}"});
        return;
    }
    for (const auto& o : product_options) {
        const auto& name = o["name"].get_ref<const std::string&>();
        auto it = combination.find(name);
        if (it == combination.end()) {
            errors.push_back({field, fmt::format("must give a value of option '{}'", name)});
            continue;
        }
        bool known = false;
        for (const auto& v : o["values"]) known = known || (it->is_string() && *it == v);
        if (!known)
            errors.push_back({field, fmt::format("'{}' is not one of the values of option '{}'",
                                                 it->is_string() ? it->get<std::string>() : it->dump(), name)});
    }
    for (const auto& [name, _] : combination.items()) {
        bool known = false;
        for (const auto& o : product_options) known = known || o["name"] == name;
        if (!known) errors.push_back({field, fmt::format("the product has no option '{}'", name)});
    }
}

bool add_new_values(json& product_options, const json& combination, const std::string& field,
                    std::vector<FieldError>& errors) {
    if (!combination.is_object()) return false;
    bool changed = false;
    for (auto& o : product_options) {
        auto it = combination.find(o["name"].get<std::string>());
        if (it == combination.end() || !it->is_string()) continue;  // check_combination names it
        auto& values = o["values"];
        if (std::find(values.begin(), values.end(), *it) != values.end()) continue;
        const std::size_t before = errors.size();
        check_text(*it, kMaxOptionValue, field, "one value of the option", errors);
        if (values.size() >= kMaxOptionValues)
            errors.push_back({field, fmt::format("option '{}' has {} values already, the most it may have",
                                                 o["name"].get<std::string>(), kMaxOptionValues)});
        if (errors.size() != before) continue;
        values.push_back(*it);
        changed = true;
    }
    return changed;
}

void check_variants(const json& product_options, const std::vector<NewVariant>& variants,
                    std::vector<FieldError>& errors) {
    if (variants.empty()) errors.push_back({"variants", "a product with options needs at least one variant"});
    if (variants.size() > kMaxVariants)
        errors.push_back({"variants", fmt::format("a product has at most {} variants", kMaxVariants)});
    std::map<std::string, std::size_t> keys, skus;
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const std::string at = fmt::format("variants[{}]", i);
        const std::size_t before = errors.size();
        check_combination(product_options, variants[i].options, at + ".options", errors);
        if (errors.size() == before) {
            auto [it, fresh] = keys.emplace(option_key(variants[i].options), i);
            if (!fresh)
                errors.push_back({at + ".options", fmt::format("the same combination as variants[{}]", it->second)});
        }
        auto [it, fresh] = skus.emplace(variants[i].sku, i);
        if (!fresh) errors.push_back({at + ".sku", fmt::format("the same sku as variants[{}]", it->second)});
    }
}

std::string option_key(const json& combination) {
    // nlohmann keeps object members sorted by name, so the dump is already canonical.
    return combination.empty() ? std::string() : combination.dump();
}

}  // namespace shop::product
