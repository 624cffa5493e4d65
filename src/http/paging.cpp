#include "shop/core/text.hpp"
#include "shop/http/paging.hpp"

#include <sodium.h>

#include "shop/core/error.hpp"
#include "shop/http/validate.hpp"

namespace shop::http {

Page parse_page(const Request& req) {
    Page p;
    if (auto limit = query_integer(req, "limit", {.min = 1})) p.limit = static_cast<int>(std::min<std::int64_t>(*limit, 100));
    if (auto cursor = req.query("cursor"); cursor && !cursor->empty()) {
        p.after = decode_cursor(*cursor);
        if (!p.after) throw Error::validation("cursor", "is not a cursor this server issued");
    }
    return p;
}

std::string encode_cursor(const nlohmann::json& position) {
    std::string raw = position.dump();
    std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return out;
}

std::optional<nlohmann::json> decode_cursor(const std::string& cursor) {
    if (cursor.size() > 2048) return std::nullopt;
    std::string raw(cursor.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), cursor.data(), cursor.size(),
                          nullptr, &len, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return std::nullopt;
    raw.resize(len);
    auto j = nlohmann::json::parse(raw, nullptr, false);
    // A cursor is read from the request like any text: what no backend stores is no cursor.
    if (j.is_discarded() || !core::storable_json_text(j)) return std::nullopt;
    return j;
}

nlohmann::json page_body(nlohmann::json items, const std::optional<nlohmann::json>& next_position) {
    return {{"items", std::move(items)},
            {"next_cursor", next_position ? nlohmann::json(encode_cursor(*next_position)) : nlohmann::json(nullptr)}};
}

}  // namespace shop::http
