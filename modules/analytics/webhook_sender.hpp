#pragma once
// Sends due webhook deliveries (core outbox jobs of kind "webhook") with libcurl, many at
// once on one multi handle: a receiver that hangs holds only its own transfers (each ends
// at its timeout), and a few threads' worth of work reaches thousands of deliveries a
// second. Runs on a scheduler worker, never on the event loop. Each attempt is made by the
// replica holding the job's lease; its outcome (delivered, retried with backoff, failed
// after the last attempt) is settled in batches.
#include <chrono>
#include <cstddef>
#include <memory>

#include "shop/core/outbox.hpp"
#include "shop/db/database.hpp"
#include "webhook_settings.hpp"

namespace shop::analytics {

class WebhookSender {
public:
    WebhookSender(db::Database& db, const WebhookSettings& settings);
    ~WebhookSender();
    WebhookSender(const WebhookSender&) = delete;
    WebhookSender& operator=(const WebhookSender&) = delete;

    // Claims and sends due deliveries until none is due and none is in flight, or `slice`
    // has passed; transfers still in flight then carry on in the next call (the destructor
    // waits for them, up to the timeout). Returns how many attempts it started. One caller
    // at a time.
    std::size_t pump(std::chrono::milliseconds slice = std::chrono::seconds(1));

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace shop::analytics
