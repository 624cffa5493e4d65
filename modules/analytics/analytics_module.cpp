#include "analytics_module.hpp"

#include <curl/curl.h>

#include "shop/core/outbox.hpp"

namespace shop::analytics {

extern const std::string_view kOpenapi;

AnalyticsModule::AnalyticsModule(Runtime& rt)
    : rt_(rt),
      analytics_(rt.db, rt.interfaces.need<api::Catalog>(name()), rt.config.shop.currency),
      events_(rt.db),
      sales_projection_{"sales", {"order.paid", "payment.refunded"}, [this](db::Tx& tx, const events::Event& e) {
                            if (e.type == "order.paid")
                                analytics_.apply_paid(tx, e);
                            else
                                analytics_.apply_refund(tx, e);
                        }},
      back_office_(back_office()),
      analytics_handlers_(analytics_),
      event_handlers_(events_),
      webhook_settings_(read_webhook_settings(*rt.config.settings)),
      webhooks_(rt.db, webhook_settings_),
      webhook_handlers_(webhooks_) {}

void AnalyticsModule::routes(http::Routes& r) {
    using http::Context;
    const http::Policy admin{.auth = http::Auth::Admin, .scope = http::Scope::AnalyticsRead};
    AnalyticsHandlers* a = &analytics_handlers_;
    EventHandlers* e = &event_handlers_;
    r.get("/api/v1/analytics/sales", admin, [a](Context& ctx) { return a->sales(ctx); });
    r.get("/api/v1/analytics/top-products", admin, [a](Context& ctx) { return a->top_products(ctx); });
    r.get("/api/v1/analytics/summary", admin, [a](Context& ctx) { return a->summary(ctx); });
    r.get("/api/v1/events", admin, [e](Context& ctx) { return e->list(ctx); });
    const http::Policy hooks{http::Auth::Admin, http::RateClass::Default, http::RunOn::Worker, 0,
                             http::Scope::WebhooksWrite};
    const http::Policy hooks_write{http::Auth::Admin, http::RateClass::Write, http::RunOn::Worker, 0,
                                   http::Scope::WebhooksWrite};
    WebhookHandlers* w = &webhook_handlers_;
    r.post("/api/v1/webhook-endpoints", hooks_write, [w](Context& ctx) { return w->create(ctx); });
    r.get("/api/v1/webhook-endpoints", hooks, [w](Context& ctx) { return w->list(ctx); });
    r.get("/api/v1/webhook-endpoints/{id}", hooks, [w](Context& ctx) { return w->get(ctx); });
    r.patch("/api/v1/webhook-endpoints/{id}", hooks_write, [w](Context& ctx) { return w->update(ctx); });
    r.del("/api/v1/webhook-endpoints/{id}", hooks_write, [w](Context& ctx) { return w->remove(ctx); });
    r.get("/api/v1/webhook-endpoints/{id}/deliveries", hooks, [w](Context& ctx) { return w->deliveries(ctx); });
    r.post("/api/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry", hooks_write,
           [w](Context& ctx) { return w->retry(ctx); });
    // The back office holds no data: its scripts sign in and use the API like any other client.
    const http::Policy page{http::Auth::Public, http::RateClass::Default, http::RunOn::Loop};
    const http::StaticFiles* b = &back_office_;
    r.get("/", page, [b](Context& ctx) { return b->page(ctx.request()); });
    r.get("/admin/assets/{file}", page, [b](Context& ctx) { return b->asset(ctx.param("file"), ctx.request()); });
}

// The sales tables are derived from the event log too, but copied with their watermark:
// both backends hold them alike, and rebuilding years of sales would slow the first start.
Tables AnalyticsModule::tables() const {
    return {{"data_sales_daily", "data_product_daily", "data_customer_daily", "data_paid_orders", "data_paid_lines",
             "data_refunds", "webhook_endpoints"},
            {},
            {}};
}

void AnalyticsModule::subscribe(events::EventBus& bus) {
    feed_.subscribe(bus, sales_projection_);
    feed_.subscribe(bus, webhooks_.projection());
}

std::string_view AnalyticsModule::openapi() const { return kOpenapi; }

void AnalyticsModule::start() {
    feed_.catch_up(rt_.db, sales_projection_);
    feed_.catch_up(rt_.db, webhooks_.projection());
}

void AnalyticsModule::jobs(core::Scheduler& scheduler) {
    // Before any other thread uses libcurl (later calls only count references).
    curl_global_init(CURL_GLOBAL_DEFAULT);
    sender_ = std::make_unique<WebhookSender>(rt_.db, webhook_settings_);
    scheduler.every(std::chrono::milliseconds(100), [s = sender_.get()] { s->pump(); });
    // On PostgreSQL the webhook projection's watermark follows here (shop/events/projection.hpp).
    scheduler.every(std::chrono::seconds(5), [this] { feed_.advance(rt_.db); });
    // The delivery log shows a month of deliveries; older finished ones are forgotten, so
    // the outbox does not grow with every event the shop ever had.
    scheduler.every(std::chrono::hours(1), [this] {
        core::Outbox(rt_.db).purge(kWebhookJobs, std::chrono::hours(24 * kDeliveryLogDays));
    });
}

}  // namespace shop::analytics
