#pragma once
// One line per record on stderr, as JSON, so log shippers need no parser of ours.
// Never pass a secret (password, token, card number) to these functions.
#include <fmt/format.h>
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace shop::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void set_level(Level l);
bool set_level(std::string_view name);  // false for an unknown name
bool enabled(Level l);
// The line is built by nlohmann::json, never from string fragments: no value can end the
// line or the record early, and bytes that are not UTF-8 become U+FFFD. msg goes into
// "msg"; the members of `fields` (an object) follow ts, level and msg in their order.
void write(Level l, std::string_view msg);
void write(Level l, std::string_view msg, const nlohmann::ordered_json& fields);
// The line write() puts out, newline included.
std::string record(Level l, std::string_view msg, const nlohmann::ordered_json& fields);

template <class... A>
void debug(fmt::format_string<A...> f, A&&... a) {
    if (enabled(Level::Debug)) write(Level::Debug, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void info(fmt::format_string<A...> f, A&&... a) {
    if (enabled(Level::Info)) write(Level::Info, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void warn(fmt::format_string<A...> f, A&&... a) {
    if (enabled(Level::Warn)) write(Level::Warn, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void error(fmt::format_string<A...> f, A&&... a) {
    if (enabled(Level::Error)) write(Level::Error, fmt::format(f, std::forward<A>(a)...));
}

}  // namespace shop::log
