#pragma once
// The search module (API.md section 8): product search and suggestions. Its index is
// derived from the product events and read through api::Catalog; which index serves
// depends on the database backend (see index_for() in search_module.cpp).
#include <memory>

#include "search_index.hpp"
#include "search_handlers.hpp"
#include "search_service.hpp"
#include "shop/api/catalog.hpp"
#include "shop/events/projection.hpp"
#include "shop/module.hpp"

namespace shop::search {

class SearchModule final : public Module {
public:
    // Needs catalog.
    explicit SearchModule(Runtime& rt);

    std::string_view name() const override { return "search"; }
    void migrations(db::Migrator& m) override;
    Tables tables() const override;
    void routes(http::Routes& r) override;
    void subscribe(events::EventBus& bus) override;
    std::string_view openapi() const override;
    // Catches the index up with the event log, then lets it warm up (the in-memory one).
    void start() override;
    // Builds the in-memory index in the background (SQLite).
    void jobs(core::Scheduler& scheduler) override;

    SearchService& search() { return search_; }

private:
    Runtime& rt_;
    std::unique_ptr<SearchIndex> index_;
    SearchService search_;
    events::EventFeed feed_;
    events::Projection projection_;
    SearchHandlers handlers_;
};

}  // namespace shop::search
