// The search query sanitiser: query_words never yields syntax, and whatever a user types
// reaches the FTS5 index (through GET /api/v1/search) without a server error.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "search/engine/query_terms.hpp"
#include "harness.hpp"

namespace {
std::string percent_encode(std::string_view s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view q(reinterpret_cast<const char*>(data), size);
    auto words = shop::search::query_words(q);
    if (words.has_value() != shop::search::valid_utf8(q)) {
        std::fprintf(stderr, "query_words and valid_utf8 disagree\n");
        std::abort();
    }
    if (words) {
        for (const auto& w : *words) {
            if (w.empty() || !shop::search::valid_utf8(w)) std::abort();
            for (unsigned char c : w)
                if (c < 0x80 && !std::isalnum(c)) {
                    std::fprintf(stderr, "syntax character %02x in a search word\n", c);
                    std::abort();
                }
        }
    }
    if (size > 2000) return 0;
    std::string enc = percent_encode(q);
    shop::fuzz::call(shop::fuzz::make(shop::http::Method::Get, "/api/v1/search?q=" + enc));
    shop::fuzz::call(shop::fuzz::make(shop::http::Method::Get, "/api/v1/search/suggest?q=" + enc));
    return 0;
}
