#include "app/app.hpp"

#include <boost/asio/signal_set.hpp>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <algorithm>
#include <csignal>

#include "gateway/ops.hpp"
#include "server/http_server.hpp"
#include "shop/core/log.hpp"

namespace shop::app {

namespace {
db::Backend& open(std::unique_ptr<db::Backend>& slot, const core::Config& c, core::Metrics& m, events::Bus& b) {
    slot = db::open_backend(c, m, b);
    return *slot;
}

void raise_fd_limit() {
    // Each client connection is a descriptor; the soft limit is often 1024.
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}
}  // namespace

App::App(core::Config config)
    : config_(std::move(config)),
      workers_(std::make_unique<server::WorkerPool>(ioc_, config_.server.workers)),
      gateway_(std::make_unique<gateway::Gateway>(config_, metrics_, *workers_)),
      idempotency_(std::make_unique<core::Idempotency>(open(db_, config_, metrics_, bus_))),
      runtime_{config_, *db_, bus_, metrics_, *workers_, *idempotency_, interfaces_} {}

App::~App() {
    workers_->join();
    for (auto it = modules_.rbegin(); it != modules_.rend(); ++it) (*it)->stop();
    modules_.clear();
    db_->close();
}

void App::seal() {
    if (sealed_) return;
    interfaces_.seal();
    // The gateway checks bearer tokens with whichever module offers the verifier.
    gateway_->set_token_verifier(&interfaces_.need<http::TokenVerifier>("gateway"));
    // Every module has read its settings by now: a key or flag no one read is a typo.
    config_.settings->check_unread();
    check_module_names();
    sealed_ = true;
}

void App::migrate() {
    seal();
    db::Migrator m;
    db::add_core_migrations(m);
    for (auto& mod : modules_) mod->migrations(m);
    db_->migrate(m.migrations());
}

int App::command(std::string_view name, const std::map<std::string, std::string>& args) {
    migrate();
    for (auto& mod : modules_)
        if (auto status = mod->command(name, args)) return *status;
    log::error("no module implements the command '{}'", name);
    return 2;
}

bool App::served(const Module& m) const {
    const auto& list = config_.modules;
    return list.empty() || std::find(list.begin(), list.end(), m.name()) != list.end();
}

void App::check_module_names() const {
    for (const auto& name : config_.modules) {
        bool known = false;
        std::string names;
        for (const auto& mod : modules_) {
            known = known || mod->name() == name;
            names += (names.empty() ? "" : ", ") + std::string(mod->name());
        }
        if (!known)
            throw core::ConfigError("modules (SHOPD_MODULES, --modules)",
                                    "unknown module \"" + name + "\"; the modules are " + names);
    }
}

void App::prepare() {
    migrate();

    // Every module keeps its event subscriptions (the derived tables they maintain must
    // follow writes made here); only served modules answer routes and appear in the
    // OpenAPI document.
    std::vector<std::string_view> fragments;
    for (auto& mod : modules_) {
        mod->subscribe(bus_);
        if (!served(*mod)) continue;
        mod->routes(*gateway_);
        fragments.push_back(mod->openapi());
    }
    gateway::add_ops_routes(*gateway_, metrics_, *db_, gateway::assemble_openapi(fragments),
                            config_.server.metrics_token);
    for (const auto& r : gateway_->router().routes())
        log::write(log::Level::Debug, "route", {{"method", http::to_string(r.method)}, {"path", r.pattern}});
    for (auto& mod : modules_) mod->start();
    for (auto& mod : modules_)
        if (served(*mod)) mod->jobs(*workers_);
    workers_->every(std::chrono::minutes(10), [this] { idempotency_->purge(); });
}

int App::serve() {
    std::signal(SIGPIPE, SIG_IGN);
    raise_fd_limit();
    prepare();

    server::HttpServer http(ioc_, config_.server, *gateway_, metrics_);
    unsigned short port = http.listen();
    gateway_->set_state(gateway::State::Ready);
    log::write(log::Level::Info, "listening",
               {{"host", config_.server.host},
                {"port", port},
                {"db", db_->dialect() == db::Dialect::Sqlite ? config_.db : "postgres"}});

    boost::asio::signal_set signals(ioc_, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        log::info("signal {}: draining", sig);
        gateway_->set_state(gateway::State::Draining);
        http.drain(std::chrono::milliseconds(config_.server.drain_timeout_ms), [&] { ioc_.stop(); });
        // A second signal means "now".
        signals.async_wait([&](const boost::system::error_code& ec2, int) {
            if (!ec2) ioc_.stop();
        });
    });

    db_->pin_reader_to_this_thread();  // ioc_.run() runs on this thread
    ioc_.run();
    workers_->join();
    log::info("stopped");
    return 0;
}

}  // namespace shop::app
