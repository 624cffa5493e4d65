#pragma once
// Sends the queued mail (the outbox's "mail" jobs) from a background job: claims due jobs
// with a lease, so that of several replicas exactly one sends each attempt, renders each
// from its template, hands it to the SMTP server, and records the outcome. A failed send
// is tried again after retry_base_ms, doubling, until max_attempts were made.
#include <atomic>

#include "mail_settings.hpp"
#include "smtp_client.hpp"
#include "shop/core/outbox.hpp"

namespace shop::user {

class MailSender {
public:
    // Jobs claimed at once, and the lease that covers sending all of them.
    static constexpr int kBatch = 5;
    static constexpr std::chrono::milliseconds kLease{kBatch * (SmtpClient::kTotalTimeoutMs + 10000)};

    MailSender(core::Outbox& outbox, const MailSettings& settings, MailTransport& transport);

    // Sends what is due, batch after batch, until nothing is or stop() was called.
    // Returns how many mails were delivered.
    int run();
    // Makes run() return after the mail it is sending.
    void stop() { stopping_ = true; }

private:
    // Sends one claimed job and returns its settlement.
    core::Settlement attempt(const core::ClaimedJob& job);

    core::Outbox& outbox_;
    const MailSettings& settings_;
    MailTransport& transport_;
    core::Backoff backoff_;
    std::atomic<bool> stopping_{false};
};

}  // namespace shop::user
