#pragma once
// HTTP <-> JSON for API.md section 7 (analytics) and the event log of section 8: each
// handler reads and checks the request, calls a service and renders the contract's JSON.
// The route table (paths and policies) is in analytics_module.cpp; the shape is the same
// in every module (docs/modules.md).
#include "analytics_service.hpp"
#include "event_log.hpp"
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"

namespace shop::analytics {

class AnalyticsHandlers {
public:
    explicit AnalyticsHandlers(AnalyticsService& analytics) : analytics_(analytics) {}

    http::Response sales(http::Context& ctx);
    http::Response top_products(http::Context& ctx);
    http::Response summary(http::Context& ctx);

private:
    AnalyticsService& analytics_;
};

class EventHandlers {
public:
    explicit EventHandlers(EventLog& events) : events_(events) {}

    http::Response list(http::Context& ctx);

private:
    EventLog& events_;
};

}  // namespace shop::analytics
