#pragma once
// Settings, one struct per section. Sources, later winning: built-in defaults, the JSON
// file (config/shopd.json or --config), SHOPD_* environment variables, command-line flags.
// Unknown keys and bad values are a ConfigError naming the setting; main exits with 2.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

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
    int workers = 0;                    // handler threads; 0 = automatic
    int drain_timeout_ms = 10000;       // SIGTERM: how long in-flight requests may take
    std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
    std::vector<std::string> cors_origins;     // empty: no cross-origin access
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
};

struct AuthConfig {
    std::string jwt_secret;             // empty: generated once, kept in the database
    int access_ttl_s = 900;
    int refresh_ttl_s = 30 * 24 * 3600;
    int argon2_ops = 2;                 // argon2id opslimit
    int argon2_mem_kib = 19456;         // argon2id memlimit (OWASP minimum: 19 MiB)
    std::string admin_email;
    std::string admin_password;
    int login_max_failures_email = 10;  // within login_window_s
    int login_max_failures_ip = 100;
    int login_window_s = 900;
};

struct ShopConfig {
    std::string currency = "USD";
    int order_ttl_s = 1800;
};

struct PaymentsConfig {
    std::string provider = "sandbox";
    std::string webhook_secret;
};

struct LogConfig {
    std::string level = "info";         // debug, info, warn, error
};

struct Config {
    std::string db = "./data/shopd.db"; // a file path (SQLite) or a postgres:// URL
    ServerConfig server;
    StorageConfig storage;
    RateLimitConfig rate_limit;
    AuthConfig auth;
    ShopConfig shop;
    PaymentsConfig payments;
    LogConfig log;
    // The modules whose routes and background jobs this process serves (`serve --modules`);
    // empty: all. The others keep their interfaces, migrations and event subscriptions.
    std::vector<std::string> modules;
    bool demo = false;                  // `serve --demo`: fill an empty catalogue (flag only)
};

class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string setting, std::string message);
    const std::string& setting() const { return setting_; }

private:
    std::string setting_;
};

// Flags given on the command line, as setting path -> text ("server.port" -> "9090").
using Overrides = std::map<std::string, std::string>;
// Environment as name -> value; main passes the real one, tests their own.
using Environment = std::map<std::string, std::string>;

// config_file: the --config path, or nullopt to use config/shopd.json when it exists.
Config load_config(const std::optional<std::string>& config_file, const Environment& env,
                   const Overrides& flags);
// Parse from text alone (the file part); used by load_config and the fuzzer.
Config parse_config_text(const std::string& json_text, const std::string& source_name);
Environment process_environment();

}  // namespace shop::core
