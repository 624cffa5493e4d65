#include "shop/core/settings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/placeholder_secret.hpp"

namespace shop::core {

using nlohmann::json;

ConfigError::ConfigError(std::string setting, std::string message)
    : std::runtime_error(setting + ": " + message), setting_(std::move(setting)) {}

Setting Setting::integer(std::string path, std::string env, double min, double max, int& into) {
    return {std::move(path), std::move(env), SettingKind::Int, min, max,
            [&into](const SettingValue& v) { into = static_cast<int>(std::get<std::int64_t>(v)); }};
}
Setting Setting::integer(std::string path, std::string env, double min, double max, std::int64_t& into) {
    return {std::move(path), std::move(env), SettingKind::Int, min, max,
            [&into](const SettingValue& v) { into = std::get<std::int64_t>(v); }};
}
Setting Setting::number(std::string path, std::string env, double min, double max, double& into) {
    return {std::move(path), std::move(env), SettingKind::Number, min, max,
            [&into](const SettingValue& v) { into = std::get<double>(v); }};
}
Setting Setting::text(std::string path, std::string env, double min_len, double max_len, std::string& into) {
    return {std::move(path), std::move(env), SettingKind::String, min_len, max_len,
            [&into](const SettingValue& v) { into = std::get<std::string>(v); }};
}
Setting Setting::list(std::string path, std::string env, std::vector<std::string>& into) {
    return {std::move(path), std::move(env), SettingKind::StringList, 0, 0,
            [&into](const SettingValue& v) { into = std::get<std::vector<std::string>>(v); }};
}
Setting Setting::boolean(std::string path, std::string env, bool& into) {
    return {std::move(path), std::move(env), SettingKind::Bool, 0, 0,
            [&into](const SettingValue& v) { into = std::get<bool>(v); }};
}

// A shop must not run on the deployment files' placeholders.
bool is_placeholder_secret(std::string_view value) {
    return value.starts_with("replace-me") || value == "change-me-please";
}

std::string Setting::label() const {
    return env.empty() ? path : fmt::format("{} ({})", path, env);
}

namespace {

bool is_secret(const Setting& s) {
    return s.path.find("secret") != std::string::npos || s.path.find("password") != std::string::npos ||
           s.path.find("token") != std::string::npos;
}

// Secrets are never echoed back, not even in an error message.
std::string shown(const Setting& s, const std::string& text) {
    return is_secret(s) ? "(a hidden value)" : text;
}

SettingValue checked_secret(const Setting& s, SettingValue v) {
    if (auto text = std::get_if<std::string>(&v); text && is_secret(s) && is_placeholder_secret(*text))
        throw ConfigError(s.label(), "is the placeholder from the deployment files; set a secret of your own");
    return v;
}

std::string describe(const Setting& s) {
    switch (s.kind) {
        case SettingKind::Int: return fmt::format("an integer from {} to {}", s.min, s.max);
        case SettingKind::Number: return fmt::format("a number from {} to {}", s.min, s.max);
        case SettingKind::String:
            return s.min == s.max ? fmt::format("a string of {} characters", s.min)
                                  : fmt::format("a string of {} to {} characters", s.min, s.max);
        case SettingKind::StringList: return "a list of strings";
        case SettingKind::Bool: return "true or false";
    }
    return "";
}

[[noreturn]] void bad(const Setting& s, const std::string& text) {
    throw ConfigError(s.label(), fmt::format("must be {}, got {}", describe(s), shown(s, text)));
}

// A JSON value from the file, checked against the row.
SettingValue from_json(const Setting& s, const json& v) {
    const std::string text = v.dump();
    switch (s.kind) {
        case SettingKind::Int: {
            if (!v.is_number_integer()) bad(s, text);
            auto n = v.get<std::int64_t>();
            if (static_cast<double>(n) < s.min || static_cast<double>(n) > s.max) bad(s, text);
            return n;
        }
        case SettingKind::Number: {
            if (!v.is_number()) bad(s, text);
            double n = v.get<double>();
            if (!std::isfinite(n) || n < s.min || n > s.max) bad(s, text);
            return n;
        }
        case SettingKind::String: {
            if (!v.is_string()) bad(s, text);
            const auto& str = v.get_ref<const std::string&>();
            if (static_cast<double>(str.size()) < s.min || static_cast<double>(str.size()) > s.max) bad(s, text);
            return str;
        }
        case SettingKind::StringList: {
            if (!v.is_array()) bad(s, text);
            std::vector<std::string> out;
            for (const auto& e : v) {
                if (!e.is_string()) bad(s, text);
                out.push_back(e.get<std::string>());
            }
            return out;
        }
        case SettingKind::Bool:
            if (!v.is_boolean()) bad(s, text);
            return v.get<bool>();
    }
    bad(s, text);
}

// Text from the environment or a flag, typed by the row; lists are comma-separated.
SettingValue from_text(const Setting& s, const std::string& text) {
    const std::string quoted = "\"" + text + "\"";
    switch (s.kind) {
        case SettingKind::Int: {
            std::int64_t n = 0;
            auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (ec != std::errc{} || p != text.data() + text.size() || text.empty()) bad(s, quoted);
            return from_json(s, json(n));
        }
        case SettingKind::Number: {
            char* end = nullptr;
            errno = 0;
            double n = std::strtod(text.c_str(), &end);
            if (text.empty() || end != text.c_str() + text.size() || errno != 0) bad(s, quoted);
            if (!std::isfinite(n) || n < s.min || n > s.max) bad(s, quoted);
            return n;
        }
        case SettingKind::String:
            if (static_cast<double>(text.size()) < s.min || static_cast<double>(text.size()) > s.max) bad(s, quoted);
            return text;
        case SettingKind::StringList: {
            std::vector<std::string> out;
            std::stringstream ss(text);
            std::string item;
            while (std::getline(ss, item, ',')) {
                auto b = item.find_first_not_of(" \t");
                auto e = item.find_last_not_of(" \t");
                if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
            }
            return out;
        }
        case SettingKind::Bool:
            if (text == "true" || text == "1") return true;
            if (text == "false" || text == "0") return false;
            bad(s, quoted);
    }
    bad(s, quoted);
}

}  // namespace

struct Settings::Impl {
    json file = json::object();
    std::string file_name;
    Environment env;
    Overrides flags;
    std::set<std::string> read;  // paths some row has claimed

    // The file's value at "section.key" or "key"; ConfigError when the section is not an object.
    const json* in_file(const std::string& path) const {
        auto dot = path.find('.');
        if (dot == std::string::npos) {
            auto it = file.find(path);
            return it == file.end() ? nullptr : &*it;
        }
        const std::string section = path.substr(0, dot);
        auto sec = file.find(section);
        if (sec == file.end()) return nullptr;
        if (!sec->is_object()) throw ConfigError(section, fmt::format("{}: must be an object", file_name));
        auto it = sec->find(path.substr(dot + 1));
        return it == sec->end() ? nullptr : &*it;
    }
};

Settings::Settings() : impl_(std::make_unique<Impl>()) {}

Settings::Settings(const std::optional<std::string>& file_text, std::string file_name, Environment env,
                   Overrides flags)
    : Settings() {
    impl_->file_name = std::move(file_name);
    impl_->env = std::move(env);
    impl_->flags = std::move(flags);
    if (!file_text) return;
    json doc = json::parse(*file_text, nullptr, false);
    if (doc.is_discarded()) throw ConfigError(impl_->file_name, "not valid JSON");
    if (!doc.is_object()) throw ConfigError(impl_->file_name, "must be a JSON object");
    impl_->file = std::move(doc);
}

Settings::~Settings() = default;

void Settings::read(const std::vector<Setting>& rows) {
    for (const auto& row : rows) {
        impl_->read.insert(row.path);
        if (const json* v = impl_->in_file(row.path)) row.store(checked_secret(row, from_json(row, *v)));
        if (!row.env.empty())
            if (auto it = impl_->env.find(row.env); it != impl_->env.end())
                row.store(checked_secret(row, from_text(row, it->second)));
        if (auto it = impl_->flags.find(row.path); it != impl_->flags.end())
            row.store(checked_secret(row, from_text(row, it->second)));
    }
}

void Settings::set(const std::string& path, std::string text) {
    impl_->flags[path] = std::move(text);
}

void Settings::check_unread() const {
    const auto& read = impl_->read;
    auto section_known = [&](const std::string& section) {
        auto it = read.lower_bound(section + ".");
        return it != read.end() && it->starts_with(section + ".");
    };
    for (const auto& [key, value] : impl_->file.items()) {
        // "server.port" at the top level is no path the file can hold: sections are objects.
        if (read.count(key) && key.find('.') == std::string::npos) continue;
        if (value.is_object())  // name the first unknown key, the likelier typo
            for (const auto& [sub, ignored] : value.items())
                if (!read.count(key + "." + sub))
                    throw ConfigError(key + "." + sub, fmt::format("unknown setting in {}", impl_->file_name));
        if (!value.is_object() || !section_known(key))
            throw ConfigError(key, fmt::format("unknown setting in {}", impl_->file_name));
    }
    for (const auto& [path, ignored] : impl_->flags)
        if (!read.count(path)) throw ConfigError(path, "unknown setting");
}

}  // namespace shop::core
