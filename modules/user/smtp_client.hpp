#pragma once
// Hands a finished message to an SMTP server with libcurl: smtp:// upgrades to TLS when
// the server offers STARTTLS, smtps:// speaks TLS from the start; certificates are
// verified; the user and password of the URL authenticate.
#include <optional>
#include <string>

namespace shop::user {

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

    // url as checked by read_mail_settings. Safe to use from several threads at once.
    explicit SmtpClient(std::string url);
    ~SmtpClient() override;
    SmtpClient(const SmtpClient&) = delete;
    SmtpClient& operator=(const SmtpClient&) = delete;

    SendResult send(const std::string& envelope_from, const std::string& to, const std::string& message) override;

private:
    std::string url_;
};

}  // namespace shop::user
