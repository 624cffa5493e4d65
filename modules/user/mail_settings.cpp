#include "mail_settings.hpp"

#include <curl/curl.h>

#include <memory>

#include "shop/core/email.hpp"

namespace shop::user {

namespace {
const char* kUrlSetting = "mail.smtp_url (SHOPD_SMTP_URL)";
const char* kFromSetting = "mail.from (SHOPD_MAIL_FROM)";
const char* kShopUrlSetting = "mail.shop_url (SHOPD_SHOP_URL)";

struct UrlDeleter {
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct TextDeleter {
    void operator()(char* p) const { curl_free(p); }
};
using Url = std::unique_ptr<CURLU, UrlDeleter>;

std::string part(CURLU* u, CURLUPart which) {
    char* raw = nullptr;
    if (curl_url_get(u, which, &raw, 0) != CURLUE_OK || !raw) return {};
    std::unique_ptr<char, TextDeleter> owned(raw);
    return raw;
}

// libcurl's own parser: what it accepts here is what it will connect to.
Url parse(const std::string& text, const char* setting = kUrlSetting,
          const char* form = "smtp://[user:pass@]host:port or smtps://...") {
    Url u(curl_url());
    if (!u || curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
        throw core::ConfigError(setting, std::string("is not a URL (") + form + ")");
    return u;
}

// A link base: http(s), a host, maybe a path, nothing after it; its trailing slashes go.
std::string checked_shop_url(std::string text) {
    const char* form = "http(s)://host[:port][/path]";
    auto u = parse(text, kShopUrlSetting, form);
    const std::string scheme = part(u.get(), CURLUPART_SCHEME);
    if (scheme != "http" && scheme != "https") throw core::ConfigError(kShopUrlSetting, "must start with http:// or https://");
    if (part(u.get(), CURLUPART_HOST).empty() || !part(u.get(), CURLUPART_USER).empty())
        throw core::ConfigError(kShopUrlSetting, std::string("must be ") + form);
    if (!part(u.get(), CURLUPART_QUERY).empty() || !part(u.get(), CURLUPART_FRAGMENT).empty() ||
        text.find_first_of("?#") != std::string::npos)
        throw core::ConfigError(kShopUrlSetting, "takes no query or fragment");
    while (!text.empty() && text.back() == '/') text.pop_back();
    return text;
}

void check_url(const std::string& text) {
    auto u = parse(text);
    const std::string scheme = part(u.get(), CURLUPART_SCHEME);
    if (scheme != "smtp" && scheme != "smtps")
        throw core::ConfigError(kUrlSetting, "must start with smtp:// or smtps://");
    if (part(u.get(), CURLUPART_HOST).empty()) throw core::ConfigError(kUrlSetting, "needs a host");
    const std::string path = part(u.get(), CURLUPART_PATH);
    if ((!path.empty() && path != "/") || !part(u.get(), CURLUPART_QUERY).empty() ||
        !part(u.get(), CURLUPART_FRAGMENT).empty())
        throw core::ConfigError(kUrlSetting, "takes no path, query or fragment");
}
}  // namespace

std::string MailSettings::from_address() const {
    auto open = from.rfind('<');
    auto close = from.rfind('>');
    if (open != std::string::npos && close != std::string::npos && close > open)
        return from.substr(open + 1, close - open - 1);
    return from;
}

std::string MailSettings::safe_url() const {
    if (smtp_url.empty()) return {};
    auto u = parse(smtp_url);
    const std::string port = part(u.get(), CURLUPART_PORT);
    return part(u.get(), CURLUPART_SCHEME) + "://" + part(u.get(), CURLUPART_HOST) + (port.empty() ? "" : ":" + port);
}

std::string MailSettings::reset_link(const std::string& token) const {
    return shop_url.empty() ? std::string{} : shop_url + "/shop/reset-password#token=" + token;
}

MailSettings read_mail_settings(core::Settings& settings) {
    using S = core::Setting;
    MailSettings m;
    settings.read({
        S::text("mail.smtp_url", "SHOPD_SMTP_URL", 0, 2048, m.smtp_url),
        S::text("mail.from", "SHOPD_MAIL_FROM", 0, 320, m.from),
        S::integer("mail.retry_base_ms", "SHOPD_MAIL_RETRY_BASE_MS", 10, 86400000, m.retry_base_ms),
        S::integer("mail.max_attempts", "SHOPD_MAIL_MAX_ATTEMPTS", 1, 100, m.max_attempts),
        S::text("mail.shop_url", "SHOPD_SHOP_URL", 0, 2048, m.shop_url),
    });
    if (!m.shop_url.empty()) m.shop_url = checked_shop_url(m.shop_url);
    if (!m.smtp_url.empty()) {
        check_url(m.smtp_url);
        if (m.from.empty()) throw core::ConfigError(kFromSetting, "must be set when mail.smtp_url is");
    }
    if (!m.from.empty()) {
        if (m.from.find_first_of("\r\n") != std::string::npos)
            throw core::ConfigError(kFromSetting, "must be one line");
        const std::string address = m.from_address();
        if (address.empty() || address.front() == ' ' || !core::valid_email(core::normalize_email(address)))
            throw core::ConfigError(kFromSetting, "must be an e-mail address, optionally as \"Name <address>\"");
    }
    return m;
}

}  // namespace shop::user
