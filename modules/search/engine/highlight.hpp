#pragma once
// Turns an index highlight (matched words between kMarkOpen and kMarkClose) into HTML that
// a page may insert as is: every other character is escaped, the matches are wrapped in
// <mark>...</mark>.
#include <string>
#include <string_view>

namespace shop::data {

std::string highlight_html(std::string_view marked);
std::string html_escape(std::string_view text);

}  // namespace shop::data
