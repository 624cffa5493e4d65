#include "mail_content.hpp"

#include <cstdlib>
#include <string_view>

#include "shop/core/time.hpp"

namespace shop::user {

using nlohmann::json;

namespace {
int exponent(const std::string& currency) {
    // ISO 4217 currencies without minor units, and those with three decimals; the rest two.
    static constexpr std::string_view kNone[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                                 "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
    static constexpr std::string_view kThree[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    for (auto c : kNone)
        if (c == currency) return 0;
    for (auto c : kThree)
        if (c == currency) return 3;
    return 2;
}

std::string money_or_empty(std::int64_t minor, const std::string& currency) {
    return minor == 0 ? std::string() : format_money(minor, currency);
}

// The name of a variant's line in the order (the product's name when it was ordered).
std::string line_name(const api::OrderReceipt& o, const std::string& variant_id) {
    for (const auto& l : o.lines)
        if (l.variant_id == variant_id) return l.name;
    return variant_id;
}

MailJob job(std::string key, const char* tpl, const std::string& to, json data) {
    return {std::move(key), {{"template", tpl}, {"to", to}, {"data", std::move(data)}}};
}
}  // namespace

std::string format_money(std::int64_t minor, const std::string& currency) {
    const int exp = exponent(currency);
    const bool negative = minor < 0;
    // Through unsigned: the magnitude of INT64_MIN does not fit the signed type.
    unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(minor) : minor;
    std::string digits = std::to_string(magnitude);
    if (exp > 0) {
        if (digits.size() <= static_cast<std::size_t>(exp)) digits.insert(0, exp + 1 - digits.size(), '0');
        digits.insert(digits.size() - exp, ".");
    }
    return (negative ? "-" : "") + digits + " " + currency;
}

MailJob order_paid_mail(const api::OrderReceipt& o, const std::string& to, const std::string& name) {
    json lines = json::array();
    for (const auto& l : o.lines)
        lines.push_back({{"name", l.name},
                         {"sku", l.sku},
                         {"quantity", l.quantity},
                         {"unit_price", format_money(l.unit_price, o.currency)},
                         {"line_total", format_money(l.line_total, o.currency)}});
    return job("order_paid:" + o.id, "order_paid", to,
               {{"name", name},
                {"order_id", o.id},
                {"lines", std::move(lines)},
                {"subtotal", format_money(o.subtotal, o.currency)},
                {"discount_total", money_or_empty(o.discount_total, o.currency)},
                {"shipping_total", money_or_empty(o.shipping_total, o.currency)},
                {"tax_total", money_or_empty(o.tax_total, o.currency)},
                {"total", format_money(o.total, o.currency)}});
}

MailJob shipment_mail(const api::OrderReceipt& o, const events::ShipmentCreated& e, const std::string& to,
                      const std::string& name) {
    json lines = json::array();
    for (const auto& l : e.items) lines.push_back({{"name", line_name(o, l.variant_id)}, {"quantity", l.quantity}});
    return job("shipment_created:" + e.shipment_id, "shipment_created", to,
               {{"name", name},
                {"order_id", o.id},
                {"shipment_id", e.shipment_id},
                {"carrier", e.carrier.value_or("")},
                {"tracking_number", e.tracking_number.value_or("")},
                {"tracking_url", e.tracking_url.value_or("")},
                {"lines", std::move(lines)}});
}

MailJob return_mail(const api::OrderReceipt& o, const events::ReturnReceived& e, const std::string& to,
                    const std::string& name) {
    json lines = json::array();
    for (const auto& l : e.items)
        lines.push_back({{"name", line_name(o, l.variant_id)},
                         {"quantity", l.quantity},
                         {"refund_amount", format_money(l.refund_amount, e.currency)}});
    return job("return_received:" + e.return_id, "return_received", to,
               {{"name", name},
                {"order_id", o.id},
                {"return_id", e.return_id},
                {"refunded", e.refund_amount > 0},
                {"refund_amount", format_money(e.refund_amount, e.currency)},
                {"lines", std::move(lines)}});
}

MailJob reset_mail(const std::string& to, const std::string& name, const std::string& token,
                   const std::string& token_digest, std::int64_t expires_at_ms, const std::string& reset_url) {
    return job("password_reset:" + token_digest, "password_reset", to,
               {{"name", name},
                {"email", to},
                {"token", token},
                {"reset_url", reset_url},
                {"expires_at", core::format_rfc3339(expires_at_ms)}});
}

}  // namespace shop::user
