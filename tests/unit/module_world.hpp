#pragma once
// A world holding a real SQLite database with one module (search, analytics: any built on a Runtime and an
// api::Catalog) migrated and subscribed to its events, and its routes callable in place.
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "fake_catalog.hpp"
#include "shop/api/catalog.hpp"
#include "problem.hpp"
#include "shop/core/error.hpp"
#include "shop/events/catalog_events.hpp"
#include "shop/module.hpp"
#include "no_scheduler.hpp"
#include "test_db.hpp"

namespace shop::test {

template <class M>
struct ModuleWorld {
    TestDb t;
    NoScheduler sched;
    core::Idempotency idem{t.db()};
    Interfaces ifs;
    Runtime rt{t.config(), t.db(), t.bus(), t.metrics(), sched, idem, ifs};
    FakeCatalog catalog;
    bool offered = (ifs.offer<api::Catalog>("test", catalog), true);  // before the module asks
    M module{rt};

    explicit ModuleWorld(bool subscribed = true) {
        db::Migrator m;
        module.migrations(m);
        t.db().migrate(m.migrations());
        if (subscribed) module.subscribe(t.bus());
    }

    // Writes an event the way a module does: in a transaction, through Tx::emit.
    void emit(const std::string& type, nlohmann::json data) {
        t.db().write([&](db::Tx& tx) { tx.emit(type, std::move(data)); });
    }
    // Writes an event row directly, dated `at` (what an older binary left in the log).
    void log_event(const std::string& type, const nlohmann::json& data, std::int64_t at) {
        t.db().write([&](db::Tx& tx) {
            tx.exec("INSERT INTO events(type, created_at, data) VALUES (?, ?, ?)", type, at, data.dump());
        });
    }
    // product.created as the product module writes it; the index reads the rest from the catalogue.
    void create_product(const std::string& id) {
        t.db().write([&](db::Tx& tx) { tx.emit(events::ProductCreated{id, std::nullopt, 0, "USD", 0}); });
    }
};

struct RouteTable : http::Routes {
    std::vector<http::Route> routes;
    void add(http::Route r) override { routes.push_back(std::move(r)); }
};

struct Answer {
    int status = 0;
    nlohmann::json body;
    std::string code;  // the problem's code, for errors
    http::Response response;
};

// The module's routes, called as an admin without the gateway.
template <class M>
struct ModuleApi : ModuleWorld<M> {
    RouteTable table;
    ModuleApi() { this->module.routes(table); }

    const http::Route& route(const std::string& pattern) {
        for (const auto& r : table.routes)
            if (r.pattern == pattern && r.method == http::Method::Get) return r;
        throw std::logic_error("no route " + pattern);
    }
    Answer get(const std::string& path, const std::string& query = {}) {
        http::Request req;
        req.path = path;
        req.query_string = query;
        req.target = path + (query.empty() ? "" : "?" + query);
        http::Context ctx(req, {}, http::Principal{"usr_admin", http::Role::Admin});
        Answer a;
        try {
            a.response = route(path).handler(ctx);
            a.status = a.response.status;
            if (a.response.header("Content-Type") == "application/json")
                a.body = nlohmann::json::parse(a.response.body);
        } catch (const shop::Error& e) {
            a.status = test::status_of(e);
            a.code = e.code();
        }
        return a;
    }
};

}  // namespace shop::test
