#include "search_module.hpp"

#include "memory_search_index.hpp"
#include "pg_search_index.hpp"
#include "shop/db/per_backend.hpp"

namespace shop::search {

extern const std::string_view kOpenapi;

namespace {

// The index follows the backend: in memory over FTS5 on SQLite, tsvector + GIN on
// PostgreSQL (whose replicas may sit on many hosts and share the server's index).
std::unique_ptr<SearchIndex> index_for(Runtime& rt) {
    return db::PerBackend<SearchIndex>()
        .sqlite([&] { return std::make_unique<MemorySearchIndex>(rt.db, rt.scheduler); })
        .postgres([] { return std::make_unique<PgSearchIndex>(); })
        .make(rt.db);
}

}  // namespace

SearchModule::SearchModule(Runtime& rt)
    : rt_(rt),
      index_(index_for(rt)),
      search_(rt.db, rt.interfaces.need<api::Catalog>(name()), *index_),
      projection_{"search",
                  {"product.created", "product.updated", "product.archived"},
                  [this](db::Tx& tx, const events::Event& e) { search_.apply_product_event(tx, e); }},
      handlers_(search_) {}

void SearchModule::routes(http::Routes& r) {
    using http::Context;
    const http::Policy anyone{http::Auth::Public};
    SearchHandlers* h = &handlers_;
    r.get("/api/v1/search", anyone, [h](Context& ctx) { return h->search(ctx); });
    r.get("/api/v1/search/suggest", anyone, [h](Context& ctx) { return h->suggest(ctx); });
}

// The index is derived: `shopd copy` leaves it behind and the target rebuilds it from the
// event log (its tables differ between FTS5 and tsvector anyway).
Tables SearchModule::tables() const {
    return {{}, {"data_search_"}, {"search"}};
}

void SearchModule::subscribe(events::EventBus& bus) { feed_.subscribe(bus, projection_); }

std::string_view SearchModule::openapi() const { return kOpenapi; }

void SearchModule::start() {
    feed_.catch_up(rt_.db, projection_);
}

void SearchModule::jobs(core::Scheduler&) {
    index_->start();
}

}  // namespace shop::search
