#pragma once
// One line per record on stderr, as JSON, so log shippers need no parser of ours.
// Never pass a secret (password, token, card number) to these functions.
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace shop::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

void set_level(Level l);
bool set_level(std::string_view name);  // false for an unknown name
bool enabled(Level l);
// msg goes into the "msg" field; `fields` is a pre-rendered JSON members fragment
// such as "\"id\":\"abc\",\"status\":200" (may be empty).
void write(Level l, std::string_view msg, std::string_view fields = {});

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

// JSON string escaping for values placed into `fields`.
std::string json_escape(std::string_view s);

}  // namespace shop::log
