#include "data_module.hpp"

#include "memory_search_index.hpp"
#include "pg_search_index.hpp"
#include "shop/core/log.hpp"
#include "shop/core/time.hpp"

namespace shop::data {

extern const std::string_view kOpenapi;

namespace {

// The index follows the backend: in memory over FTS5 on SQLite, tsvector + GIN on
// PostgreSQL (whose replicas may sit on many hosts and share the server's index).
std::unique_ptr<SearchIndex> index_for(Runtime& rt, MemorySearchIndex*& memory) {
    if (rt.db.dialect() == db::Dialect::Postgres) return std::make_unique<PgSearchIndex>();
    auto index = std::make_unique<MemorySearchIndex>(rt.db, rt.scheduler);
    memory = index.get();
    return index;
}

}  // namespace

DataModule::DataModule(Runtime& rt, api::Catalog& catalog)
    : rt_(rt),
      index_(index_for(rt, memory_index_)),
      search_(rt.db, catalog, *index_),
      analytics_(rt.db, catalog, rt.config.shop.currency),
      feed_(events_),
      search_projection_{"search",
                         {"product.created", "product.updated", "product.archived"},
                         [this](db::Tx& tx, const events::Event& e) { search_.apply_product_event(tx, e); }},
      sales_projection_{"sales", {"order.paid", "payment.refunded"}, [this](db::Tx& tx, const events::Event& e) {
                            if (e.type == "order.paid")
                                analytics_.apply_paid(tx, e);
                            else
                                analytics_.apply_refund(tx, e);
                        }} {}

void DataModule::routes(http::Routes& r) {
    search_routes(r);
    analytics_routes(r);
    event_routes(r);
    // The page holds no data: it signs in and reads the API like any other client.
    const http::Policy page{http::Auth::Public, http::RateClass::Default, http::RunOn::Loop};
    r.get("/", page, [this](http::Context&) { return dashboard_.response(); });
}

void DataModule::subscribe(events::EventBus& bus) {
    feed_.subscribe(bus, search_projection_);
    feed_.subscribe(bus, sales_projection_);
}

std::string_view DataModule::openapi() const { return kOpenapi; }

void DataModule::start() {
    for (const Projection* p : {&search_projection_, &sales_projection_}) {
        std::int64_t started = core::now_ms();
        std::int64_t n = feed_.catch_up(rt_.db, *p);
        if (n > 0) log::info("{}: caught up with {} events in {} ms", p->name, n, core::now_ms() - started);
    }
    if (memory_index_) memory_index_->start();
}

}  // namespace shop::data
