#pragma once
// The data module (API.md sections 7 and 8): product search and suggestions, sales
// analytics, the domain event log for export, and the admin dashboard page. Everything it
// knows is derived from the event log and read through api::Catalog.
#include <memory>

#include "analytics_service.hpp"
#include "dashboard_page.hpp"
#include "event_feed.hpp"
#include "event_repository.hpp"
#include "search_index.hpp"
#include "search_service.hpp"
#include "shop/api/catalog.hpp"
#include "shop/module.hpp"

namespace shop::data {

class MemorySearchIndex;

class DataModule final : public Module {
public:
    DataModule(Runtime& rt, api::Catalog& catalog);

    std::string_view name() const override { return "data"; }
    void migrations(db::Migrator& m) override;
    void routes(http::Routes& r) override;
    void subscribe(events::EventBus& bus) override;
    std::string_view openapi() const override;
    // Catches the search index and the sales aggregates up with the event log.
    void start() override;

    SearchService& search() { return search_; }
    AnalyticsService& analytics() { return analytics_; }

private:
    void search_routes(http::Routes& r);
    void analytics_routes(http::Routes& r);
    void event_routes(http::Routes& r);

    Runtime& rt_;
    MemorySearchIndex* memory_index_ = nullptr;  // index_, when it is the in-memory one
    std::unique_ptr<SearchIndex> index_;
    SearchService search_;
    AnalyticsService analytics_;
    EventRepository events_;
    EventFeed feed_;
    Projection search_projection_;
    Projection sales_projection_;
    DashboardPage dashboard_;
};

}  // namespace shop::data
