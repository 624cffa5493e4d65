#pragma once
// Turns an index highlight (matched words between kMarkOpen and kMarkClose) into HTML that
// a page may insert as is: every other character is escaped, the matches are wrapped in
// <mark>...</mark>.
#include <string>
#include <string_view>

namespace shop::search {

// Highlights carry the markers kMarkOpen / kMarkClose around matched words; the caller
// turns them into HTML with highlight_html().
inline constexpr char kMarkOpen = '\x01';
inline constexpr char kMarkClose = '\x02';

std::string highlight_html(std::string_view marked);
std::string html_escape(std::string_view text);

}  // namespace shop::search
