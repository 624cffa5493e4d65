#pragma once
// The composition root's toolkit: owns the core parts (config, metrics, event bus,
// database, loop, workers, gateway) and the modules that main() adds to it.
#include <boost/asio/io_context.hpp>

#include <memory>
#include <vector>

#include "db/backend.hpp"
#include "gateway/gateway.hpp"
#include "server/worker_pool.hpp"
#include "shop/module.hpp"

namespace shop::app {

class App {
public:
    explicit App(core::Config config);
    ~App();

    // Adds a module, built from the Runtime: its constructor offers and asks for
    // interfaces there. The order of add() is the start order.
    template <class M>
    M& add() {
        auto m = std::make_unique<M>(runtime_);
        static_assert(std::is_base_of_v<Module, M>);
        M& ref = *m;
        modules_.push_back(std::move(m));
        return ref;
    }

    // Ends composition: every interface a module needs is offered, every setting read,
    // every --modules name known; CompositionError or ConfigError otherwise. migrate(),
    // prepare() and command() call it first.
    void seal();
    void migrate();         // core + every module's migrations
    // Migrates, registers every module's routes, subscriptions and the ops routes, and
    // starts the modules: everything serve() does before it opens a socket. A fuzzer or a
    // test calls this and then drives gateway().handle() directly.
    void prepare();
    int serve();            // until SIGTERM/SIGINT; returns the exit status
    void backup(const std::string& out_path) { db_->backup(out_path); }
    // Runs a module's CLI subcommand after migrating; 2 when no module knows it.
    int command(std::string_view name, const std::map<std::string, std::string>& args);

    gateway::Gateway& gateway() { return *gateway_; }
    Runtime& runtime() { return runtime_; }
    // The composed modules, in start order (`shopd copy` reads their tables).
    const std::vector<std::unique_ptr<Module>>& modules() const { return modules_; }
    const core::Config& config() const { return config_; }

private:
    // Whether this process serves m's routes and jobs (config.modules; empty: all).
    bool served(const Module& m) const;
    // Every name in config.modules must be a composed module: ConfigError otherwise.
    void check_module_names() const;

    core::Config config_;
    core::Metrics metrics_;
    events::Bus bus_;
    std::unique_ptr<db::Backend> db_;
    boost::asio::io_context ioc_{1};
    std::unique_ptr<server::WorkerPool> workers_;
    std::unique_ptr<gateway::Gateway> gateway_;
    std::unique_ptr<core::Idempotency> idempotency_;
    Interfaces interfaces_;
    Runtime runtime_;
    bool sealed_ = false;
    std::vector<std::unique_ptr<Module>> modules_;
};

using Compose = void (*)(App& app);

// Parses the command line and runs the subcommand: serve, migrate, backup, ...
int run_cli(int argc, char** argv, Compose compose);

}  // namespace shop::app
