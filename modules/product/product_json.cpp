#include "product_json.hpp"

#include "shop/core/time.hpp"

namespace shop::product {

namespace {
nlohmann::json nullable(const std::optional<std::string>& s) {
    return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

std::string dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Appends s as a JSON string, escaped as nlohmann's dump escapes it. Text with bytes above
// ASCII goes through nlohmann itself, so invalid UTF-8 is replaced exactly as elsewhere.
void append_string(std::string& out, std::string_view s) {
    for (unsigned char c : s)
        if (c >= 0x80) {
            out += dump(nlohmann::json(std::string(s)));
            return;
        }
    out += '"';
    std::size_t plain = 0;  // start of the run of characters that need no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char ch = s[i];
        if (ch != '"' && ch != '\\' && static_cast<unsigned char>(ch) >= 0x20) continue;
        out.append(s, plain, i - plain);
        plain = i + 1;
        switch (ch) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default: {
                static constexpr char kHex[] = "0123456789abcdef";
                out += "\\u00";
                out += kHex[(ch >> 4) & 0xf];
                out += kHex[ch & 0xf];
            }
        }
    }
    out.append(s, plain, s.size() - plain);
    out += '"';
}

void append_field(std::string& out, std::string_view key) {
    out += out.size() == 1 ? "\"" : ",\"";
    out += key;
    out += "\":";
}
}  // namespace

nlohmann::json variant_json(const api::VariantInfo& v) {
    return {{"id", v.id},      {"sku", v.sku},     {"options", v.options},
            {"price", v.price}, {"stock", v.stock}, {"status", v.status}};
}

namespace {
nlohmann::json variants_json(const api::ProductInfo& p) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : p.variants) out.push_back(variant_json(v));
    return out;
}
}  // namespace

nlohmann::json product_json(const api::ProductInfo& p) {
    return {{"id", p.id},
            {"sku", p.sku},
            {"name", p.name},
            {"description", p.description},
            {"price", p.price},
            {"price_max", p.price_max},
            {"options", p.options},
            {"variants", variants_json(p)},
            {"currency", p.currency},
            {"stock", p.stock},
            {"category_id", nullable(p.category_id)},
            {"attributes", p.attributes},
            {"images", p.images},
            {"status", p.status},
            {"version", p.version},
            {"created_at", core::format_rfc3339(p.created_at_ms)},
            {"updated_at", core::format_rfc3339(p.updated_at_ms)}};
}

namespace {
// variant_json(v).dump(), keys in its (sorted) order, without building the tree.
void append_variant(std::string& out, const api::VariantInfo& v) {
    out += "{\"id\":";
    append_string(out, v.id);
    out += ",\"options\":";
    out += dump(v.options);
    out += ",\"price\":";
    out += std::to_string(v.price);
    out += ",\"sku\":";
    append_string(out, v.sku);
    out += ",\"status\":";
    append_string(out, v.status);
    out += ",\"stock\":";
    out += std::to_string(v.stock);
    out += '}';
}
}  // namespace

std::string product_body(const api::ProductInfo& p) {
    // Keys in nlohmann's object order (sorted), as product_json(p).dump() writes them.
    std::string out;
    out.reserve(256 + p.description.size() + p.name.size() + 160 * p.variants.size());
    out += '{';
    append_field(out, "attributes");
    out += dump(p.attributes);
    append_field(out, "category_id");
    if (p.category_id)
        append_string(out, *p.category_id);
    else
        out += "null";
    append_field(out, "created_at");
    append_string(out, core::format_rfc3339(p.created_at_ms));
    append_field(out, "currency");
    append_string(out, p.currency);
    append_field(out, "description");
    append_string(out, p.description);
    append_field(out, "id");
    append_string(out, p.id);
    append_field(out, "images");
    out += dump(p.images);
    append_field(out, "name");
    append_string(out, p.name);
    append_field(out, "options");
    out += dump(p.options);
    append_field(out, "price");
    out += std::to_string(p.price);
    append_field(out, "price_max");
    out += std::to_string(p.price_max);
    append_field(out, "sku");
    append_string(out, p.sku);
    append_field(out, "status");
    append_string(out, p.status);
    append_field(out, "stock");
    out += std::to_string(p.stock);
    append_field(out, "updated_at");
    append_string(out, core::format_rfc3339(p.updated_at_ms));
    append_field(out, "variants");
    out += '[';
    for (const auto& v : p.variants) {
        if (&v != &p.variants.front()) out += ',';
        append_variant(out, v);
    }
    out += ']';
    append_field(out, "version");
    out += std::to_string(p.version);
    out += '}';
    return out;
}

nlohmann::json category_json(const api::CategoryInfo& c) {
    return {{"id", c.id}, {"name", c.name}, {"parent_id", nullable(c.parent_id)}};
}

}  // namespace shop::product
