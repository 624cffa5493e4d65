#include "webhook_service.hpp"

#include <algorithm>

#include "event_log.hpp"
#include "shop/core/error.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"
#include "shop/events/registry.hpp"
#include "webhook_address.hpp"

namespace shop::analytics {

namespace {

std::vector<std::string> all_types() {
    return {events::kAllTypes.begin(), events::kAllTypes.end()};
}

}  // namespace

WebhookService::WebhookService(db::Database& db, const WebhookSettings& settings)
    : db_(db),
      settings_(settings),
      projection_{"webhooks", all_types(), [this](db::Tx& tx, const events::Event& e) { fan_out(tx, e, false); },
                  /*lazy=*/true,
                  [this](db::Tx& tx, const events::Event& e) { fan_out(tx, e, true); }} {}

bool WebhookService::known_type(const std::string& type) {
    return type == "*" || std::find(events::kAllTypes.begin(), events::kAllTypes.end(), type) != events::kAllTypes.end();
}

void WebhookService::check_url(const std::string& url) const {
    if (auto problem = check_webhook_url(url, settings_.allow_private)) {
        if (!problem->not_allowed) throw Error::validation("url", problem->message);
        throw Error("url_not_allowed", problem->message).with_errors({{"url", problem->message}});
    }
}

void WebhookService::fan_out(db::Tx& tx, const events::Event& e, bool again) {
    std::string payload;
    for (const auto& ep : endpoints_.enabled(tx)) {
        if (!ep.subscribes(e.type)) continue;
        // Applied again from the log (catch-up; on PostgreSQL the lazy watermark's job a
        // minute later: shop/events/projection.hpp), an endpoint created, disabled or edited
        // since the event is left out: what it was then is not known, and an event from
        // before its creation or of a disabled spell must not reach it.
        if (again && ep.updated_at_ms > e.created_at_ms) continue;
        if (payload.empty()) payload = event_json(e).dump();
        core::Outbox::enqueue(tx, std::string(kWebhookJobs), e.id() + ":" + ep.id, payload, std::nullopt, ep.id);
    }
}

WebhookEndpoint WebhookService::create(const std::string& url, std::vector<std::string> events,
                                       std::optional<std::string> description) {
    check_url(url);
    WebhookEndpoint ep;
    ep.id = core::new_id("whe");
    ep.url = url;
    ep.events = std::move(events);
    ep.description = std::move(description);
    ep.secret = "whsec_" + core::random_token(32);
    ep.created_at_ms = ep.updated_at_ms = core::now_ms();
    db_.write([&](db::Tx& tx) { endpoints_.insert(tx, ep); });
    return ep;
}

std::vector<WebhookEndpoint> WebhookService::list(std::optional<std::int64_t> before_at, const std::string& before_id,
                                                  int limit) {
    return db_.read([&](db::Conn& c) { return endpoints_.list(c, before_at, before_id, limit); });
}

WebhookEndpoint WebhookService::get(const std::string& id) {
    auto ep = db_.read([&](db::Conn& c) { return endpoints_.find(c, id); });
    if (!ep) throw Error::not_found("no such webhook endpoint");
    return *ep;
}

WebhookEndpoint WebhookService::update(const std::string& id, const EndpointChange& change) {
    if (change.url) check_url(*change.url);
    const std::int64_t now = core::now_ms();
    return db_.write([&](db::Tx& tx) {
        auto ep = endpoints_.find(tx, id);
        if (!ep) throw Error::not_found("no such webhook endpoint");
        const bool was_enabled = ep->enabled;
        if (change.url) ep->url = *change.url;
        if (change.events) ep->events = *change.events;
        if (change.description) ep->description = *change.description;
        if (change.enabled) ep->enabled = *change.enabled;
        ep->updated_at_ms = now;
        endpoints_.update(tx, *ep);
        // Deliveries held back while it was disabled go out now.
        if (ep->enabled && !was_enabled) core::Outbox::wake(tx, kWebhookJobs, ep->id, now);
        return *ep;
    });
}

void WebhookService::remove(const std::string& id) {
    db_.write([&](db::Tx& tx) {
        if (!endpoints_.remove(tx, id)) throw Error::not_found("no such webhook endpoint");
        core::Outbox::remove(tx, kWebhookJobs, id);
    });
}

std::vector<core::JobView> WebhookService::deliveries(const std::string& endpoint_id, std::int64_t before_id,
                                                      int limit) {
    return db_.read([&](db::Conn& c) {
        if (!endpoints_.find(c, endpoint_id)) throw Error::not_found("no such webhook endpoint");
        return core::Outbox::list(c, kWebhookJobs, endpoint_id, before_id, limit);
    });
}

core::JobView WebhookService::retry(const std::string& endpoint_id, std::int64_t delivery_id) {
    const std::int64_t now = core::now_ms();
    return db_.write([&](db::Tx& tx) {
        auto job = core::Outbox::find(tx, kWebhookJobs, delivery_id);
        if (!job || job->scope != endpoint_id || !endpoints_.find(tx, endpoint_id))
            throw Error::not_found("no such delivery");
        core::Outbox::retry_now(tx, kWebhookJobs, delivery_id, now);
        return *core::Outbox::find(tx, kWebhookJobs, delivery_id);
    });
}

}  // namespace shop::analytics
