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

    // Adds a module; its constructor receives the Runtime first, then args (usually
    // other modules' interfaces). The order of add() is the start order.
    template <class M, class... A>
    M& add(A&&... args) {
        auto m = std::make_unique<M>(runtime_, std::forward<A>(args)...);
        static_assert(std::is_base_of_v<Module, M>);
        M& ref = *m;
        modules_.push_back(std::move(m));
        return ref;
    }

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
    // The user module's token check, used by the gateway's bearer-auth hook.
    void set_token_verifier(const http::TokenVerifier& v) { gateway_->set_token_verifier(&v); }
    Runtime& runtime() { return runtime_; }
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
    Runtime runtime_;
    std::vector<std::unique_ptr<Module>> modules_;
};

using Compose = void (*)(App& app);

// Parses the command line and runs the subcommand: serve, migrate, backup, ...
int run_cli(int argc, char** argv, Compose compose);

}  // namespace shop::app
