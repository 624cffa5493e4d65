#pragma once
// The analytics module (API.md section 7, and the event log of section 8): sales analytics,
// the domain event log for export, outbound webhooks from that log (section 12), and the
// back office pages (section 13). Its figures are derived
// from the event log and products are named through api::Catalog.
#include "analytics_handlers.hpp"
#include "analytics_service.hpp"
#include "back_office.hpp"
#include "event_log.hpp"
#include "shop/api/catalog.hpp"
#include "shop/events/projection.hpp"
#include "shop/module.hpp"
#include "webhook_handlers.hpp"
#include "webhook_sender.hpp"
#include "webhook_service.hpp"

namespace shop::analytics {

class AnalyticsModule final : public Module {
public:
    // Needs catalog.
    explicit AnalyticsModule(Runtime& rt);

    std::string_view name() const override { return "analytics"; }
    void migrations(db::Migrator& m) override;
    Tables tables() const override;
    void routes(http::Routes& r) override;
    void subscribe(events::EventBus& bus) override;
    std::string_view openapi() const override;
    // Catches the sales aggregates and the webhook fan-out up with the event log.
    void start() override;
    // The webhook sender.
    void jobs(core::Scheduler& scheduler) override;

    AnalyticsService& analytics() { return analytics_; }

private:
    Runtime& rt_;
    AnalyticsService analytics_;
    EventLog events_;
    events::EventFeed feed_;
    events::Projection sales_projection_;
    http::StaticFiles back_office_;
    AnalyticsHandlers analytics_handlers_;
    EventHandlers event_handlers_;
    WebhookSettings webhook_settings_;
    WebhookService webhooks_;
    WebhookHandlers webhook_handlers_;
    std::unique_ptr<WebhookSender> sender_;
};

}  // namespace shop::analytics
