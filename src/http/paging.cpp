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

std::string page_body_text(const std::vector<std::string>& items, const std::optional<nlohmann::json>& next_position) {
    std::size_t size = 64;
    for (const auto& item : items) size += item.size() + 1;
    std::string out;
    out.reserve(size);
    out += "{\"items\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        out += items[i];
    }
    out += "],\"next_cursor\":";
    out += next_position ? nlohmann::json(encode_cursor(*next_position)).dump() : std::string("null");
    out += '}';
    return out;
}

namespace {
[[noreturn]] void not_ours() {
    throw Error::validation("cursor", "is not a cursor this server issued");
}
}  // namespace

std::optional<Keyset> keyset_after(const Page& page) {
    if (!page.after) return std::nullopt;
    const nlohmann::json& a = *page.after;
    if (a.is_object() && a.size() == 2 && a.contains("t") && a["t"].is_number_integer() && a.contains("id") &&
        a["id"].is_string())
        return Keyset{a["t"].get<std::int64_t>(), a["id"].get<std::string>()};
    // The user lists' cursor before 1.1 was [t, id]; one still in a client's hands works.
    if (a.is_array() && a.size() == 2 && a[0].is_number_integer() && a[1].is_string())
        return Keyset{a[0].get<std::int64_t>(), a[1].get<std::string>()};
    not_ours();
}

nlohmann::json keyset_position(const Keyset& k) {
    return {{"t", k.at}, {"id", k.id}};
}

std::optional<std::int64_t> number_after(const Page& page) {
    if (!page.after) return std::nullopt;
    const nlohmann::json& a = *page.after;
    if (!a.is_object() || a.size() != 1 || !a.contains("n") || !a["n"].is_number_integer() || a["n"].get<std::int64_t>() < 0)
        not_ours();
    return a["n"].get<std::int64_t>();
}

nlohmann::json number_position(std::int64_t n) {
    return {{"n", n}};
}

}  // namespace shop::http
