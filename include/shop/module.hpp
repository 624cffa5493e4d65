#pragma once
// A module is one business capability plugged into the gateway. src/app/compose.hpp lists
// the modules; each declares, in its constructor, the interfaces it offers and needs
// (Runtime::interfaces) and reads its own settings (Runtime::config.settings). The order
// of composition is the start order, and modules stop in reverse.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shop/core/config.hpp"
#include "shop/core/idempotency.hpp"
#include "shop/core/metrics.hpp"
#include "shop/core/scheduler.hpp"
#include "shop/db/database.hpp"
#include "shop/db/migrator.hpp"
#include "shop/events/event.hpp"
#include "shop/http/route.hpp"
#include "shop/interfaces.hpp"

namespace shop {

// What the core lends every module.
struct Runtime {
    const core::Config& config;
    db::Database& db;
    events::EventBus& bus;
    core::Metrics& metrics;
    core::Scheduler& scheduler;
    core::Idempotency& idempotency;
    Interfaces& interfaces;
};

// The tables a module owns, as `shopd copy` needs to know them (`shopd backup` copies the
// whole SQLite file and needs nothing). A table no module and not core declares stops a
// copy before it starts.
struct Tables {
    std::vector<std::string> copied;           // copied row by row
    std::vector<std::string> derived_prefixes; // rebuilt on the target from the event log
    std::vector<std::string> projections;      // their consumers, restarted on the target
};

class Module {
public:
    virtual ~Module() = default;
    virtual std::string_view name() const = 0;
    // Declares the module's tables; applied before any route serves.
    virtual void migrations(db::Migrator&) {}
    virtual Tables tables() const { return {}; }
    virtual void routes(http::Routes&) {}
    virtual void subscribe(events::EventBus&) {}
    // The module's part of the OpenAPI document: {"paths":{...},"components":{...}}.
    virtual std::string_view openapi() const { return {}; }
    // After migrations: bootstrap data and state every process needs (the token secret, a
    // projection caught up). Runs on the main thread before serving, in every process.
    virtual void start() {}
    // Background work (timers, index builders, senders): started after start(), only in a
    // process that serves this module (`shopd serve --modules`).
    virtual void jobs(core::Scheduler&) {}
    virtual void stop() {}
    // A CLI subcommand this module implements (e.g. "user create"), run after migrations
    // instead of serving. nullopt: not this module's command; otherwise the exit status.
    virtual std::optional<int> command(std::string_view name, const std::map<std::string, std::string>& args) {
        (void)name;
        (void)args;
        return std::nullopt;
    }
};

}  // namespace shop
