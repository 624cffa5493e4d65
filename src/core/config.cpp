#include "shop/core/config.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/placeholder_secret.hpp"
#include "db/postgres/conninfo.hpp"

extern char** environ;

namespace shop::core {

namespace {

constexpr double kIntMax = 2147483647.0;

// Core's rows, storing into c. Modules read theirs the same way (see settings.hpp).
std::vector<Setting> core_rows(Config& c) {
    using S = Setting;
    auto& sv = c.server;
    auto& st = c.storage;
    auto& rl = c.rate_limit;
    return {
        S::text("db", "SHOPD_DB", 1, 4096, c.db),
        S::list("modules", "SHOPD_MODULES", c.modules),
        S::text("server.host", "SHOPD_HOST", 1, 255, sv.host),
        S::integer("server.port", "SHOPD_PORT", 0, 65535, sv.port),
        S::integer("server.max_body", "SHOPD_MAX_BODY", 1, 1 << 30, sv.max_body),
        S::integer("server.max_header", "SHOPD_MAX_HEADER", 1024, 1 << 20, sv.max_header),
        S::integer("server.header_timeout_ms", "SHOPD_HEADER_TIMEOUT_MS", 10, kIntMax, sv.header_timeout_ms),
        S::integer("server.body_timeout_ms", "SHOPD_BODY_TIMEOUT_MS", 10, kIntMax, sv.body_timeout_ms),
        S::integer("server.idle_timeout_ms", "SHOPD_IDLE_TIMEOUT_MS", 10, kIntMax, sv.idle_timeout_ms),
        S::integer("server.max_connections", "SHOPD_MAX_CONNECTIONS", 1, 1000000, sv.max_connections),
        S::integer("server.max_connections_per_address", "SHOPD_MAX_CONNECTIONS_PER_ADDRESS", 0, 1000000,
                   sv.max_connections_per_address),
        S::integer("server.workers", "SHOPD_WORKERS", 0, 1024, sv.workers),
        S::integer("server.drain_timeout_ms", "SHOPD_DRAIN_TIMEOUT_MS", 0, kIntMax, sv.drain_timeout_ms),
        S::list("server.trusted_proxies", "SHOPD_TRUSTED_PROXIES", sv.trusted_proxies),
        S::list("server.cors_origins", "SHOPD_CORS_ORIGINS", sv.cors_origins),
        S::text("server.metrics_token", "SHOPD_METRICS_TOKEN", 0, 4096, sv.metrics_token),
        S::integer("storage.readers", "SHOPD_DB_READERS", 1, 256, st.readers),
        S::integer("storage.mmap_mib", "SHOPD_DB_MMAP_MIB", 0, 1 << 20, st.mmap_mib),
        S::integer("storage.busy_timeout_ms", "SHOPD_DB_BUSY_TIMEOUT_MS", 0, kIntMax, st.busy_timeout_ms),
        S::integer("storage.write_timeout_ms", "SHOPD_DB_WRITE_TIMEOUT_MS", 100, kIntMax, st.write_timeout_ms),
        S::integer("storage.max_batch", "SHOPD_DB_MAX_BATCH", 1, 100000, st.max_batch),
        S::integer("storage.pool_size", "SHOPD_DB_POOL_SIZE", 1, 1024, st.pool_size),
        S::number("rate_limit.rps", "SHOPD_RATE_LIMIT_RPS", 0, 1e9, rl.rps),
        S::number("rate_limit.burst", "SHOPD_RATE_LIMIT_BURST", 0, 1e9, rl.burst),
        S::number("rate_limit.auth_rps", "SHOPD_RATE_LIMIT_AUTH_RPS", 0, 1e9, rl.auth_rps),
        S::number("rate_limit.auth_burst", "SHOPD_RATE_LIMIT_AUTH_BURST", 0, 1e9, rl.auth_burst),
        S::number("rate_limit.checkout_rps", "SHOPD_RATE_LIMIT_CHECKOUT_RPS", 0, 1e9, rl.checkout_rps),
        S::number("rate_limit.checkout_burst", "SHOPD_RATE_LIMIT_CHECKOUT_BURST", 0, 1e9, rl.checkout_burst),
        S::number("rate_limit.signup_rps", "SHOPD_RATE_LIMIT_SIGNUP_RPS", 0, 1e9, rl.signup_rps),
        S::number("rate_limit.signup_burst", "SHOPD_RATE_LIMIT_SIGNUP_BURST", 0, 1e9, rl.signup_burst),
        S::text("shop.currency", "SHOPD_CURRENCY", 3, 3, c.shop.currency),
        S::text("log.level", "SHOPD_LOG_LEVEL", 1, 16, c.log.level),
    };
}

bool address_or_cidr(const std::string& entry) {
    auto slash = entry.find('/');
    std::string addr = entry.substr(0, slash);
    unsigned char buf[16];
    bool v4 = inet_pton(AF_INET, addr.c_str(), buf) == 1;
    bool v6 = !v4 && inet_pton(AF_INET6, addr.c_str(), buf) == 1;
    if (!v4 && !v6) return false;
    if (slash == std::string::npos) return true;
    std::string bits = entry.substr(slash + 1);
    int n = -1;
    auto [p, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
    return ec == std::errc{} && p == bits.data() + bits.size() && !bits.empty() && n >= 0 && n <= (v4 ? 32 : 128);
}

void validate(const Config& c) {
    for (char ch : c.shop.currency)
        if (ch < 'A' || ch > 'Z')
            throw ConfigError("shop.currency (SHOPD_CURRENCY)", "must be an ISO 4217 code such as USD, got \"" +
                                                                    c.shop.currency + "\"");
    static constexpr std::string_view kLevels[] = {"debug", "info", "warn", "error"};
    if (std::find(std::begin(kLevels), std::end(kLevels), c.log.level) == std::end(kLevels))
        throw ConfigError("log.level (SHOPD_LOG_LEVEL)", "must be debug, info, warn or error, got \"" + c.log.level +
                                                             "\"");
    if (c.rate_limit.rps > 0 && c.rate_limit.burst < 1)
        throw ConfigError("rate_limit.burst (SHOPD_RATE_LIMIT_BURST)", "must be at least 1 while the limiter is on");
    // A URL of any other scheme would otherwise be taken for a SQLite file name.
    if (auto scheme = c.db.find("://"); scheme != std::string::npos) {
        std::string_view name(c.db.data(), scheme);
        if (name != "postgres" && name != "postgresql")
            throw ConfigError("db (SHOPD_DB)", "must be a file path or a postgres:// URL, got a " +
                                                   std::string(name) + ":// URL");
        // The PostgreSQL overlay ships its URL with a placeholder password; the value is
        // never shown, as it holds the password.
        if (auto password = db::postgres::password_of(c.db); password && is_placeholder_secret(*password))
            throw ConfigError("db (SHOPD_DB)",
                              "holds the placeholder password from the deployment files; set a password of your own");
    }
    for (const auto& p : c.server.trusted_proxies)
        if (!address_or_cidr(p))
            throw ConfigError("server.trusted_proxies (SHOPD_TRUSTED_PROXIES)",
                              "\"" + p + "\" is not an IP address or CIDR block");
}

}  // namespace

Config parse_config_text(const std::string& json_text, const std::string& source_name) {
    Config c;
    c.settings = std::make_shared<Settings>(json_text, source_name, Environment{}, Overrides{});
    c.settings->read(core_rows(c));
    return c;
}

Config load_config(const std::optional<std::string>& config_file, const Environment& env, const Overrides& flags) {
    Config c;
    std::string path = config_file.value_or("config/shopd.json");
    std::optional<std::string> text;
    if (config_file || std::filesystem::exists(path)) {
        std::ifstream in(path);
        if (!in) throw ConfigError("--config", "cannot read " + path);
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    c.settings = std::make_shared<Settings>(text, path, env, flags);
    c.settings->read(core_rows(c));
    validate(c);
    return c;
}

Environment process_environment() {
    Environment env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv(*e);
        if (!kv.starts_with("SHOPD_")) continue;
        auto eq = kv.find('=');
        if (eq == std::string_view::npos) continue;
        env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
    return env;
}

}  // namespace shop::core
