#include "mail_settings.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "shop/core/email.hpp"

namespace shop::user {

namespace {
const char* kUrlSetting = "mail.smtp_url (SHOPD_SMTP_URL)";
const char* kFromSetting = "mail.from (SHOPD_MAIL_FROM)";
const char* kStartTlsSetting = "mail.smtp_starttls (SHOPD_SMTP_STARTTLS)";
const char* kCaSetting = "mail.smtp_ca_file (SHOPD_SMTP_CA_FILE)";
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

// A literal loopback address or "localhost" (names are not resolved: what the URL says).
bool loopback_host(std::string host) {
    for (auto& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (host == "localhost") return true;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        in6_addr a6{};
        return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &a6) == 1 &&
               std::memcmp(&a6, &in6addr_loopback, sizeof a6) == 0;
    }
    in_addr a4{};
    return inet_pton(AF_INET, host.c_str(), &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

StartTls parse_starttls(const std::string& text) {
    if (text == "auto") return StartTls::Auto;
    if (text == "required") return StartTls::Required;
    if (text == "off") return StartTls::Off;
    throw core::ConfigError(kStartTlsSetting, "must be auto, required or off");
}

// Read now, so a wrong path stops start-up rather than every send.
void check_ca_file(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw core::ConfigError(kCaSetting, "is not a file: " + path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::ConfigError(kCaSetting, "cannot be read: " + path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        throw core::ConfigError(kCaSetting, "holds no PEM certificate: " + path);
}
}  // namespace

SmtpTls MailSettings::tls() const {
    auto u = parse(smtp_url);
    if (part(u.get(), CURLUPART_SCHEME) == "smtps") return SmtpTls::Implicit;
    switch (starttls) {
        case StartTls::Required: return SmtpTls::Required;
        case StartTls::Off: return SmtpTls::None;
        case StartTls::Auto: break;
    }
    return loopback_host(part(u.get(), CURLUPART_HOST)) ? SmtpTls::WhenOffered : SmtpTls::Required;
}

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
    std::string starttls = "auto";
    settings.read({
        S::text("mail.smtp_url", "SHOPD_SMTP_URL", 0, 2048, m.smtp_url),
        S::text("mail.from", "SHOPD_MAIL_FROM", 0, 320, m.from),
        S::integer("mail.retry_base_ms", "SHOPD_MAIL_RETRY_BASE_MS", 10, 86400000, m.retry_base_ms),
        S::integer("mail.max_attempts", "SHOPD_MAIL_MAX_ATTEMPTS", 1, 100, m.max_attempts),
        S::text("mail.smtp_starttls", "SHOPD_SMTP_STARTTLS", 0, 16, starttls),
        S::text("mail.smtp_ca_file", "SHOPD_SMTP_CA_FILE", 0, 4096, m.ca_file),
        S::text("mail.shop_url", "SHOPD_SHOP_URL", 0, 2048, m.shop_url),
    });
    m.starttls = parse_starttls(starttls);
    if (!m.shop_url.empty()) m.shop_url = checked_shop_url(m.shop_url);
    if (!m.smtp_url.empty()) {
        check_url(m.smtp_url);
        if (m.from.empty()) throw core::ConfigError(kFromSetting, "must be set when mail.smtp_url is");
        if (m.starttls == StartTls::Off && m.tls() == SmtpTls::Implicit)
            throw core::ConfigError(kStartTlsSetting, "cannot be off with an smtps:// URL (TLS from the start)");
    }
    if (!m.ca_file.empty()) check_ca_file(m.ca_file);
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
