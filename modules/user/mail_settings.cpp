#include "mail_settings.hpp"

#include <curl/curl.h>

#include <memory>

#include "shop/core/email.hpp"

namespace shop::user {

namespace {
const char* kUrlSetting = "mail.smtp_url (SHOPD_SMTP_URL)";
const char* kFromSetting = "mail.from (SHOPD_MAIL_FROM)";

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
Url parse(const std::string& text) {
    Url u(curl_url());
    if (!u || curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
        throw core::ConfigError(kUrlSetting, "is not a URL (smtp://[user:pass@]host:port or smtps://...)");
    return u;
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

MailSettings read_mail_settings(core::Settings& settings) {
    using S = core::Setting;
    MailSettings m;
    settings.read({
        S::text("mail.smtp_url", "SHOPD_SMTP_URL", 0, 2048, m.smtp_url),
        S::text("mail.from", "SHOPD_MAIL_FROM", 0, 320, m.from),
        S::integer("mail.retry_base_ms", "SHOPD_MAIL_RETRY_BASE_MS", 10, 86400000, m.retry_base_ms),
        S::integer("mail.max_attempts", "SHOPD_MAIL_MAX_ATTEMPTS", 1, 100, m.max_attempts),
    });
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
