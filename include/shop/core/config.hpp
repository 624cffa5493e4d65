#pragma once
// Core's settings, one struct per section. Sources, later winning: built-in defaults, the
// JSON file (config/shopd.json or --config), SHOPD_* environment variables, command-line
// flags. Bad values are a ConfigError naming the setting; main exits with 2. Modules own
// their sections (auth, payments, ...) and read them through Config::settings.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shop/core/settings.hpp"

namespace shop::core {

struct ServerConfig {
    std::string host = "0.0.0.0";
    int port = 8080;
    std::int64_t max_body = 1 << 20;    // bytes; larger bodies get 413
    std::int64_t max_header = 16 << 10; // bytes; larger header blocks get 431
    int header_timeout_ms = 10000;      // a client must finish its headers within this
    int body_timeout_ms = 30000;
    int idle_timeout_ms = 60000;        // keep-alive connections idle longer are closed
    int max_connections = 10000;
    // Open connections one client address (an IPv6 /64) may hold; trusted proxies are
    // exempt, since every client behind them shares their address. 0: no cap.
    int max_connections_per_address = 256;
    int workers = 0;                    // handler threads; 0 = automatic
    int drain_timeout_ms = 10000;       // SIGTERM: how long in-flight requests may take
    std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
    std::vector<std::string> cors_origins;     // empty: no cross-origin access
    std::string metrics_token;                 // set: /metrics needs "Authorization: Bearer <it>"
};

struct StorageConfig {
    int readers = 4;                    // read-only connections in the pool
    int busy_timeout_ms = 5000;         // per attempt, when another process holds the lock
    int write_timeout_ms = 30000;       // give up (503) after retrying this long
    int max_batch = 256;                // most write functions in one group commit
    int mmap_mib = 0;                   // SQLite readers: map this much of the file (0: pread)
    int pool_size = 8;                  // PostgreSQL: connections per process (reads and writes)
};

struct RateLimitConfig {
    double rps = 200;                   // per client address; 0 turns the limiter off
    double burst = 400;
    double auth_rps = 20;               // the Auth class (login, register, refresh)
    double auth_burst = 40;
    double checkout_rps = 2;            // order and payment creation: lower than the rest
    double checkout_burst = 20;
    double signup_rps = 0.01;           // registrations: 36 an hour per address after a burst
    double signup_burst = 10;
};

// Shop-wide settings every module may read; a module's own settings live with it.
struct ShopConfig {
    std::string currency = "USD";
};

struct LogConfig {
    std::string level = "info";         // debug, info, warn, error
};

struct Config {
    std::string db = "./data/shopd.db"; // a file path (SQLite) or a postgres:// URL
    ServerConfig server;
    StorageConfig storage;
    RateLimitConfig rate_limit;
    ShopConfig shop;
    LogConfig log;
    // The modules whose routes and background jobs this process serves (`serve --modules`);
    // empty: all. The others keep their interfaces, migrations and event subscriptions.
    std::vector<std::string> modules;
    bool demo = false;                  // `serve --demo`: fill an empty catalogue (flag only)
    // Every source as given, for the settings modules own: each module reads its rows from
    // here in its constructor (see settings.hpp). Shared by copies of this Config.
    std::shared_ptr<Settings> settings = std::make_shared<Settings>();
};

// config_file: the --config path, or nullopt to use config/shopd.json when it exists.
Config load_config(const std::optional<std::string>& config_file, const Environment& env,
                   const Overrides& flags);
// Parse from text alone (the file part); used by load_config and the fuzzer. Keys no core
// row reads are kept for the modules, and refused only by Settings::check_unread().
Config parse_config_text(const std::string& json_text, const std::string& source_name);
Environment process_environment();

}  // namespace shop::core
