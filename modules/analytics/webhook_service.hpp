#pragma once
// Outbound webhooks (API.md section 12): endpoints an admin registers, and the fan-out of
// the event log into deliveries. Each event an enabled endpoint subscribes to becomes one
// core outbox job (kind "webhook", key "<event id>:<endpoint id>", scope the endpoint id,
// payload the event's JSON as GET /api/v1/events shows it), enqueued by a projection in
// the transaction that logs the event; WebhookSender sends them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shop/core/outbox.hpp"
#include "shop/db/database.hpp"
#include "shop/events/projection.hpp"
#include "webhook_endpoint_repository.hpp"
#include "webhook_settings.hpp"

namespace shop::analytics {

inline constexpr std::string_view kWebhookJobs = "webhook";
// How long finished deliveries stay in the delivery log.
inline constexpr int kDeliveryLogDays = 30;

struct EndpointChange {
    std::optional<std::string> url;
    std::optional<std::vector<std::string>> events;
    std::optional<std::optional<std::string>> description;  // set: replace (nullopt inside: clear)
    std::optional<bool> enabled;
};

class WebhookService {
public:
    WebhookService(db::Database& db, const WebhookSettings& settings);

    // Throws 422 url_not_allowed / validation_failed for a refused url (field "url").
    WebhookEndpoint create(const std::string& url, std::vector<std::string> events,
                           std::optional<std::string> description);
    std::vector<WebhookEndpoint> list(std::optional<std::int64_t> before_at, const std::string& before_id, int limit);
    WebhookEndpoint get(const std::string& id);  // 404 not_found
    WebhookEndpoint update(const std::string& id, const EndpointChange& change);
    void remove(const std::string& id);

    // An endpoint's deliveries, newest first, with id below before_id (0: from the newest).
    std::vector<core::JobView> deliveries(const std::string& endpoint_id, std::int64_t before_id, int limit);
    // Sends a delivery again as soon as a sender is free (also a failed one); 404 when it
    // is not one of the endpoint's.
    core::JobView retry(const std::string& endpoint_id, std::int64_t delivery_id);

    // The projection that fans events out to the endpoints.
    const events::Projection& projection() const { return projection_; }
    // Known types, or "*": the values `events` may hold.
    static bool known_type(const std::string& type);

private:
    void check_url(const std::string& url) const;
    // again: the event is applied from the log, not in the transaction that wrote it.
    void fan_out(db::Tx& tx, const events::Event& e, bool again);

    db::Database& db_;
    WebhookSettings settings_;
    WebhookEndpointRepository endpoints_;
    events::Projection projection_;
};

}  // namespace shop::analytics
