#include "mail_sender.hpp"

#include <nlohmann/json.hpp>

#include "mail_mime.hpp"
#include "mail_projection.hpp"
#include "mail_template.hpp"
#include "shop/core/digest.hpp"
#include "shop/core/log.hpp"
#include "shop/core/random.hpp"

namespace shop::user {

namespace {
std::string domain_of(const std::string& address) {
    auto at = address.rfind('@');
    return at == std::string::npos ? "localhost" : address.substr(at + 1);
}
}  // namespace

MailSender::MailSender(core::Outbox& outbox, const MailSettings& settings, MailTransport& transport)
    : outbox_(outbox),
      settings_(settings),
      transport_(transport),
      backoff_{std::chrono::milliseconds(settings.retry_base_ms), settings.max_attempts} {}

core::Settlement MailSender::attempt(const core::ClaimedJob& job) {
    MailMessage m;
    try {
        const auto payload = nlohmann::json::parse(job.payload);
        const RenderedMail r = render_mail(payload.at("template").get<std::string>(), payload.at("data"));
        m = {settings_.from, payload.at("to").get<std::string>(), r.subject, r.text, r.html, {}, outbox_.now()};
    } catch (const std::exception& e) {
        // Not a mail this binary can make: trying again cannot help.
        log::error("mail {}: cannot be made ({}); dropped", job.key, e.what());
        return core::Settlement::gave_up(job, std::string("cannot be made: ") + e.what());
    }
    const std::string from = settings_.from_address();
    // The same job gives the same Message-ID on every attempt, so a receiver can tell a
    // repeat (a lease that ended mid-send) from a second mail.
    m.message_id = core::sha256_hex(job.key).substr(0, 32) + "@" + domain_of(from);
    const std::string boundary = "=_shopd_" + core::to_hex(core::random_bytes(12));
    const SendResult sent = transport_.send(from, m.to, build_mime(m, boundary));
    if (sent.ok) {
        log::info("mail {} sent (attempt {})", job.key, job.attempts);
        return core::Settlement::succeeded(job, sent.code);
    }
    if (auto next = backoff_.next_due(job.attempts, outbox_.now())) {
        log::warn("mail {}: attempt {} failed ({}); trying again in {} ms", job.key, job.attempts, sent.error,
                  *next - outbox_.now());
        return core::Settlement::failed(job, sent.error, *next, sent.code);
    }
    log::error("mail {}: attempt {} failed ({}); giving up", job.key, job.attempts, sent.error);
    return core::Settlement::gave_up(job, sent.error, sent.code);
}

int MailSender::run() {
    int delivered = 0;
    // An idle outbox costs one read a tick, not a write transaction.
    while (!stopping_ && outbox_.any_due(kMailKind)) {
        auto jobs = outbox_.claim(kMailKind, kBatch, kLease);
        for (const auto& job : jobs) {
            // Each outcome is recorded as soon as it is known: a crash later in the batch
            // cannot make a delivered mail go out again. Jobs not tried because the process
            // stops go back as they were.
            auto outcome = stopping_ ? core::Settlement::postponed(job, outbox_.now()) : attempt(job);
            if (outcome.outcome == core::Settlement::Outcome::Succeeded) ++delivered;
            outbox_.settle({outcome});
        }
        if (static_cast<int>(jobs.size()) < kBatch) break;
    }
    return delivered;
}

}  // namespace shop::user
