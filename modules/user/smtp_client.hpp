#pragma once
// Hands a finished message to an SMTP server with libcurl: smtps:// speaks TLS from the
// start, smtp:// upgrades with STARTTLS as SmtpTls says; certificates and the host name
// are always verified; the user and password of the URL authenticate (after the upgrade).
#include <optional>
#include <string>

namespace shop::user {

// How a connection is protected.
enum class SmtpTls {
    Implicit,     // smtps://: TLS from the first byte
    Required,     // smtp:// + STARTTLS, or nothing is sent (not even AUTH)
    WhenOffered,  // smtp:// + STARTTLS when the server offers it, else plain text
    None,         // smtp:// in plain text
};

// "TLS from the start", "STARTTLS required", ...: for the start-up log.
const char* describe(SmtpTls tls);

struct SendResult {
    bool ok = false;
    std::optional<int> code;  // the server's last SMTP reply code, when it answered
    std::string error;        // why it failed (never holds the URL's password)
};

// The seam the mail sender uses, so tests can stand in for a server.
class MailTransport {
public:
    virtual ~MailTransport() = default;
    virtual SendResult send(const std::string& envelope_from, const std::string& to, const std::string& message) = 0;
};

class SmtpClient final : public MailTransport {
public:
    // One attempt's limits, however the server stalls.
    static constexpr long kConnectTimeoutMs = 10000;
    static constexpr long kTotalTimeoutMs = 60000;

    // url as checked by read_mail_settings; ca_file: PEM certificates to trust instead of
    // the system's, or empty. Safe to use from several threads at once.
    SmtpClient(std::string url, SmtpTls tls, std::string ca_file);
    ~SmtpClient() override;
    SmtpClient(const SmtpClient&) = delete;
    SmtpClient& operator=(const SmtpClient&) = delete;

    SendResult send(const std::string& envelope_from, const std::string& to, const std::string& message) override;

private:
    std::string url_;
    SmtpTls tls_;
    std::string ca_file_;
};

}  // namespace shop::user
