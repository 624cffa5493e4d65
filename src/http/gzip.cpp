#include "shop/http/gzip.hpp"

#include <zlib.h>

#include <optional>
#include <stdexcept>

#include "shop/http/request.hpp"

namespace shop::http {

std::string gzip(std::string_view data) {
    z_stream zs{};
    // 15 window bits + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("zlib: deflateInit2 failed");
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
    return out;
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The q of one list member's parameters ("q=0.5"); 1 when absent or unreadable.
double quality(std::string_view params) {
    while (!params.empty()) {
        auto semi = params.find(';');
        auto p = trim(params.substr(0, semi));
        params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
        if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            auto v = p.substr(2);
            // A qvalue is "0", "0.xxx", "1" or "1.000": it is zero exactly when every digit is.
            return v.find_first_not_of("0.") == std::string_view::npos && !v.empty() ? 0.0 : 1.0;
        }
    }
    return 1.0;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
    std::optional<bool> named, star;
    while (!accept_encoding.empty()) {
        auto comma = accept_encoding.find(',');
        auto member = accept_encoding.substr(0, comma);
        accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
        auto semi = member.find(';');
        auto coding = trim(member.substr(0, semi));
        bool ok = quality(semi == std::string_view::npos ? std::string_view{} : member.substr(semi + 1)) > 0;
        if (iequals(coding, "gzip") || http::iequals(coding, "x-gzip")) named = named.value_or(true) && ok;
        else if (coding == "*") star = ok;
    }
    return named.value_or(star.value_or(false));
}

}  // namespace shop::http
