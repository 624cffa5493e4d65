#include "highlight.hpp"

namespace shop::search {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char ch : text) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += ch;
        }
    }
    return out;
}

std::string highlight_html(std::string_view marked) {
    std::string out;
    out.reserve(marked.size() + 32);
    bool open = false;
    std::size_t from = 0;
    for (std::size_t i = 0; i <= marked.size(); ++i) {
        if (i < marked.size() && marked[i] != kMarkOpen && marked[i] != kMarkClose) continue;
        out += html_escape(marked.substr(from, i - from));
        from = i + 1;
        if (i == marked.size()) break;
        // Markers always come in pairs from the index; a stray one is dropped, and the
        // output stays balanced whatever the input.
        if (marked[i] == kMarkOpen && !open) {
            out += "<mark>";
            open = true;
        } else if (marked[i] == kMarkClose && open) {
            out += "</mark>";
            open = false;
        }
    }
    if (open) out += "</mark>";
    return out;
}

}  // namespace shop::search
