#include "conditional.hpp"

#include <vector>

namespace shop::product {

namespace {

struct Tag {
    bool any = false;  // "*"
    bool weak = false;
    std::string_view opaque;
};

// Parses `#entity-tag` or `*`; anything unparsable ends the list (what was read still counts).
std::vector<Tag> parse_tags(std::string_view h) {
    std::vector<Tag> out;
    std::size_t i = 0;
    auto skip = [&] {
        while (i < h.size() && (h[i] == ' ' || h[i] == '\t' || h[i] == ',')) ++i;
    };
    for (skip(); i < h.size(); skip()) {
        Tag t;
        if (h[i] == '*') {
            t.any = true;
            ++i;
            out.push_back(t);
            continue;
        }
        if (h.substr(i, 2) == "W/") {
            t.weak = true;
            i += 2;
        }
        if (i >= h.size() || h[i] != '"') break;
        std::size_t close = h.find('"', i + 1);
        if (close == std::string_view::npos) break;
        t.opaque = h.substr(i + 1, close - i - 1);
        i = close + 1;
        out.push_back(t);
    }
    return out;
}

}  // namespace

std::string etag_for(std::int64_t version) {
    return "\"" + std::to_string(version) + "\"";
}

bool none_match_hits(std::string_view header, std::int64_t version) {
    return none_match_hits(header, std::string_view(std::to_string(version)));
}

bool none_match_hits(std::string_view header, std::string_view opaque) {
    for (const Tag& t : parse_tags(header))
        if (t.any || t.opaque == opaque) return true;
    return false;
}

bool match_allows(std::string_view header, std::int64_t version) {
    const std::string current = std::to_string(version);
    for (const Tag& t : parse_tags(header))
        if (t.any || (!t.weak && t.opaque == current)) return true;
    return false;
}

}  // namespace shop::product
