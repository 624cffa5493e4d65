#pragma once
// The user module's e-mail settings: the `mail` section of the settings file and its
// SHOPD_* variables (docs/configuration.md lists them).
#include <string>

#include "shop/core/settings.hpp"
#include "smtp_client.hpp"

namespace shop::user {

// What an smtp:// URL does about STARTTLS (mail.smtp_starttls); smtps:// is TLS regardless.
enum class StartTls {
    Auto,      // required, except on a loopback host, where it is used when offered
    Required,  // no STARTTLS offered, or it fails: nothing is sent
    Off,       // plain text, for a relay reached privately that has no usable certificate
};

struct MailSettings {
    // smtp://[user:pass@]host[:port] (STARTTLS, see starttls) or smtps://... (TLS from the
    // start). Empty: no mail is sent at all.
    std::string smtp_url;
    std::string from;            // "shop@example.com" or "Shop <shop@example.com>"
    int retry_base_ms = 60000;   // a failed send waits this, doubling each time
    int max_attempts = 10;
    StartTls starttls = StartTls::Auto;
    // PEM certificates the server's chain must lead to, instead of the system's; empty:
    // the system's.
    std::string ca_file;
    // The shop's address as buyers reach it ("https://shop.example.com", no trailing slash):
    // links in mails start with it. Empty: a mail carries no link (a reset mail its token only).
    std::string shop_url;

    bool enabled() const { return !smtp_url.empty(); }
    // What the connection does, from the URL's scheme and host and starttls.
    SmtpTls tls() const;
    // The address part of `from`: the envelope sender.
    std::string from_address() const;
    // The URL without its user and password, for logs.
    std::string safe_url() const;
    // The storefront page a reset mail links to, the token in the fragment (so it is in no
    // server's log nor any Referer); "" without a shop_url. The pages module serves it.
    std::string reset_link(const std::string& token) const;
};

// ConfigError for a URL that is not smtp:// or smtps:// with a host, a `from` that is not
// an address, a URL without a `from`, an unknown starttls or "off" with smtps://, a CA
// file that cannot be read or holds no PEM certificate, or a shop_url that is not
// http(s)://host[:port][/path].
MailSettings read_mail_settings(core::Settings& settings);

}  // namespace shop::user
