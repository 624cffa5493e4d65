#include "smtp_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace shop::user {

namespace {
struct Upload {
    const std::string& data;
    std::size_t pos = 0;
};

std::size_t read_chunk(char* buffer, std::size_t size, std::size_t n, void* user) {
    auto* up = static_cast<Upload*>(user);
    std::size_t len = std::min(size * n, up->data.size() - up->pos);
    std::memcpy(buffer, up->data.data() + up->pos, len);
    up->pos += len;
    return len;
}

struct EasyDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

long use_ssl(SmtpTls tls) {
    switch (tls) {
        case SmtpTls::Implicit:
        case SmtpTls::Required: return CURLUSESSL_ALL;
        case SmtpTls::WhenOffered: return CURLUSESSL_TRY;
        case SmtpTls::None: break;
    }
    return CURLUSESSL_NONE;
}
}  // namespace

const char* describe(SmtpTls tls) {
    switch (tls) {
        case SmtpTls::Implicit: return "TLS from the start";
        case SmtpTls::Required: return "STARTTLS required";
        case SmtpTls::WhenOffered: return "STARTTLS when offered";
        case SmtpTls::None: break;
    }
    return "plain text, no STARTTLS";
}

SmtpClient::SmtpClient(std::string url, SmtpTls tls, std::string ca_file)
    : url_(std::move(url)), tls_(tls), ca_file_(std::move(ca_file)) {
    // Reference-counted by libcurl; called on the main thread at start-up, before any send.
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

SmtpClient::~SmtpClient() {
    curl_global_cleanup();
}

SendResult SmtpClient::send(const std::string& envelope_from, const std::string& to, const std::string& message) {
    std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
    if (!curl) return {false, std::nullopt, "libcurl could not start a transfer"};
    const std::string from = "<" + envelope_from + ">";
    std::unique_ptr<curl_slist, ListDeleter> rcpt(curl_slist_append(nullptr, ("<" + to + ">").c_str()));
    Upload up{message};
    char detail[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // smtps:// is TLS regardless; for smtp:// this decides whether STARTTLS is a must.
    curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl(tls_));
    curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!ca_file_.empty()) {
        // Only this bundle: the system's directory of roots would be trusted beside it.
        curl_easy_setopt(c, CURLOPT_CAINFO, ca_file_.c_str());
        curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_chunk);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, SmtpClient::kConnectTimeoutMs);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, SmtpClient::kTotalTimeoutMs);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM for DNS timeouts
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);

    const CURLcode rc = curl_easy_perform(c);
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    SendResult r;
    r.ok = rc == CURLE_OK;
    if (reply > 0) r.code = static_cast<int>(reply);
    if (!r.ok) {
        // A TLS failure follows a 220 or 250: only a refusal is the server's reason.
        const bool refused = r.code && *r.code >= 400;
        r.error = (refused ? "SMTP " + std::to_string(*r.code) + ": " : std::string()) + curl_easy_strerror(rc);
        if (detail[0]) r.error += std::string(": ") + detail;
    }
    return r;
}

}  // namespace shop::user
