#include "shop/core/config.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

extern char** environ;

namespace shop::core {

using nlohmann::json;

ConfigError::ConfigError(std::string setting, std::string message)
    : std::runtime_error(setting + ": " + message), setting_(std::move(setting)) {}

namespace {

enum class Kind { Int, Number, String, StringList };

// One row per setting: where it lives in the JSON file, its environment variable, its
// type and range, and how to store it. Every source goes through the same row.
struct Field {
    const char* path;
    const char* env;
    Kind kind;
    double min;
    double max;
    std::function<void(Config&, const json&)> set;
};

template <class T>
std::function<void(Config&, const json&)> setter(T Config::*section_or_field) {
    return [section_or_field](Config& c, const json& v) { c.*section_or_field = v.get<T>(); };
}
template <class S, class T>
std::function<void(Config&, const json&)> setter(S Config::*section, T S::*field) {
    return [section, field](Config& c, const json& v) { (c.*section).*field = v.get<T>(); };
}

constexpr double kIntMax = 2147483647.0;

const std::vector<Field>& fields() {
    static const std::vector<Field> kFields = {
        {"db", "SHOPD_DB", Kind::String, 1, 4096, setter(&Config::db)},
        {"modules", "SHOPD_MODULES", Kind::StringList, 0, 0, setter(&Config::modules)},
        {"server.host", "SHOPD_HOST", Kind::String, 1, 255, setter(&Config::server, &ServerConfig::host)},
        {"server.port", "SHOPD_PORT", Kind::Int, 0, 65535, setter(&Config::server, &ServerConfig::port)},
        {"server.max_body", "SHOPD_MAX_BODY", Kind::Int, 1, 1 << 30, setter(&Config::server, &ServerConfig::max_body)},
        {"server.max_header", "SHOPD_MAX_HEADER", Kind::Int, 1024, 1 << 20,
         setter(&Config::server, &ServerConfig::max_header)},
        {"server.header_timeout_ms", "SHOPD_HEADER_TIMEOUT_MS", Kind::Int, 10, kIntMax,
         setter(&Config::server, &ServerConfig::header_timeout_ms)},
        {"server.body_timeout_ms", "SHOPD_BODY_TIMEOUT_MS", Kind::Int, 10, kIntMax,
         setter(&Config::server, &ServerConfig::body_timeout_ms)},
        {"server.idle_timeout_ms", "SHOPD_IDLE_TIMEOUT_MS", Kind::Int, 10, kIntMax,
         setter(&Config::server, &ServerConfig::idle_timeout_ms)},
        {"server.max_connections", "SHOPD_MAX_CONNECTIONS", Kind::Int, 1, 1000000,
         setter(&Config::server, &ServerConfig::max_connections)},
        {"server.workers", "SHOPD_WORKERS", Kind::Int, 0, 1024, setter(&Config::server, &ServerConfig::workers)},
        {"server.drain_timeout_ms", "SHOPD_DRAIN_TIMEOUT_MS", Kind::Int, 0, kIntMax,
         setter(&Config::server, &ServerConfig::drain_timeout_ms)},
        {"server.trusted_proxies", "SHOPD_TRUSTED_PROXIES", Kind::StringList, 0, 0,
         setter(&Config::server, &ServerConfig::trusted_proxies)},
        {"server.cors_origins", "SHOPD_CORS_ORIGINS", Kind::StringList, 0, 0,
         setter(&Config::server, &ServerConfig::cors_origins)},
        {"storage.readers", "SHOPD_DB_READERS", Kind::Int, 1, 256, setter(&Config::storage, &StorageConfig::readers)},
        {"storage.mmap_mib", "SHOPD_DB_MMAP_MIB", Kind::Int, 0, 1 << 20,
         setter(&Config::storage, &StorageConfig::mmap_mib)},
        {"storage.busy_timeout_ms", "SHOPD_DB_BUSY_TIMEOUT_MS", Kind::Int, 0, kIntMax,
         setter(&Config::storage, &StorageConfig::busy_timeout_ms)},
        {"storage.write_timeout_ms", "SHOPD_DB_WRITE_TIMEOUT_MS", Kind::Int, 100, kIntMax,
         setter(&Config::storage, &StorageConfig::write_timeout_ms)},
        {"storage.max_batch", "SHOPD_DB_MAX_BATCH", Kind::Int, 1, 100000,
         setter(&Config::storage, &StorageConfig::max_batch)},
        {"storage.pool_size", "SHOPD_DB_POOL_SIZE", Kind::Int, 1, 1024,
         setter(&Config::storage, &StorageConfig::pool_size)},
        {"rate_limit.rps", "SHOPD_RATE_LIMIT_RPS", Kind::Number, 0, 1e9,
         setter(&Config::rate_limit, &RateLimitConfig::rps)},
        {"rate_limit.burst", "SHOPD_RATE_LIMIT_BURST", Kind::Number, 0, 1e9,
         setter(&Config::rate_limit, &RateLimitConfig::burst)},
        {"rate_limit.auth_rps", "SHOPD_RATE_LIMIT_AUTH_RPS", Kind::Number, 0, 1e9,
         setter(&Config::rate_limit, &RateLimitConfig::auth_rps)},
        {"rate_limit.auth_burst", "SHOPD_RATE_LIMIT_AUTH_BURST", Kind::Number, 0, 1e9,
         setter(&Config::rate_limit, &RateLimitConfig::auth_burst)},
        {"auth.jwt_secret", "SHOPD_JWT_SECRET", Kind::String, 0, 4096, setter(&Config::auth, &AuthConfig::jwt_secret)},
        {"auth.access_ttl_s", "SHOPD_ACCESS_TTL", Kind::Int, 1, kIntMax,
         setter(&Config::auth, &AuthConfig::access_ttl_s)},
        {"auth.refresh_ttl_s", "SHOPD_REFRESH_TTL", Kind::Int, 1, kIntMax,
         setter(&Config::auth, &AuthConfig::refresh_ttl_s)},
        {"auth.argon2_ops", "SHOPD_ARGON2_OPS", Kind::Int, 1, 64, setter(&Config::auth, &AuthConfig::argon2_ops)},
        {"auth.argon2_mem_kib", "SHOPD_ARGON2_MEM_KIB", Kind::Int, 8, 4 << 20,
         setter(&Config::auth, &AuthConfig::argon2_mem_kib)},
        {"auth.admin_email", "SHOPD_ADMIN_EMAIL", Kind::String, 0, 320,
         setter(&Config::auth, &AuthConfig::admin_email)},
        {"auth.admin_password", "SHOPD_ADMIN_PASSWORD", Kind::String, 0, 128,
         setter(&Config::auth, &AuthConfig::admin_password)},
        {"auth.login_max_failures_email", "SHOPD_LOGIN_MAX_FAILURES_EMAIL", Kind::Int, 1, 1000000,
         setter(&Config::auth, &AuthConfig::login_max_failures_email)},
        {"auth.login_max_failures_ip", "SHOPD_LOGIN_MAX_FAILURES_IP", Kind::Int, 1, 1000000,
         setter(&Config::auth, &AuthConfig::login_max_failures_ip)},
        {"auth.login_window_s", "SHOPD_LOGIN_WINDOW", Kind::Int, 1, kIntMax,
         setter(&Config::auth, &AuthConfig::login_window_s)},
        {"shop.currency", "SHOPD_CURRENCY", Kind::String, 3, 3, setter(&Config::shop, &ShopConfig::currency)},
        {"shop.order_ttl_s", "SHOPD_ORDER_TTL", Kind::Int, 1, kIntMax, setter(&Config::shop, &ShopConfig::order_ttl_s)},
        {"payments.provider", "SHOPD_PAYMENT_PROVIDER", Kind::String, 1, 64,
         setter(&Config::payments, &PaymentsConfig::provider)},
        {"payments.webhook_secret", "SHOPD_WEBHOOK_SECRET", Kind::String, 0, 4096,
         setter(&Config::payments, &PaymentsConfig::webhook_secret)},
        {"log.level", "SHOPD_LOG_LEVEL", Kind::String, 1, 16, setter(&Config::log, &LogConfig::level)},
    };
    return kFields;
}

const Field* find_field(std::string_view path) {
    for (const auto& f : fields())
        if (f.path == path) return &f;
    return nullptr;
}

bool is_section(std::string_view name) {
    std::string prefix = std::string(name) + ".";
    for (const auto& f : fields())
        if (std::string_view(f.path).starts_with(prefix)) return true;
    return false;
}

std::string label(const Field& f) {
    return f.env[0] ? fmt::format("{} ({})", f.path, f.env) : std::string(f.path);
}

// Secrets are never echoed back, not even in an error message.
std::string shown(const Field& f, const std::string& text) {
    std::string_view path(f.path);
    if (path.find("secret") != std::string_view::npos || path.find("password") != std::string_view::npos)
        return "(a hidden value)";
    return text;
}

std::string describe(const Field& f) {
    switch (f.kind) {
        case Kind::Int: return fmt::format("an integer from {} to {}", f.min, f.max);
        case Kind::Number: return fmt::format("a number from {} to {}", f.min, f.max);
        case Kind::String:
            return f.min == f.max ? fmt::format("a string of {} characters", f.min)
                                  : fmt::format("a string of {} to {} characters", f.min, f.max);
        case Kind::StringList: return "a list of strings";
    }
    return "";
}

// Checks a JSON value against the field's kind and range and stores it.
void apply(Config& c, const Field& f, const json& v, const std::string& text) {
    auto bad = [&] { throw ConfigError(label(f), fmt::format("must be {}, got {}", describe(f), shown(f, text))); };
    switch (f.kind) {
        case Kind::Int: {
            if (!v.is_number_integer()) bad();
            auto n = v.get<std::int64_t>();
            if (static_cast<double>(n) < f.min || static_cast<double>(n) > f.max) bad();
            break;
        }
        case Kind::Number: {
            if (!v.is_number()) bad();
            double n = v.get<double>();
            if (!std::isfinite(n) || n < f.min || n > f.max) bad();
            break;
        }
        case Kind::String: {
            if (!v.is_string()) bad();
            auto n = static_cast<double>(v.get_ref<const std::string&>().size());
            if (n < f.min || n > f.max) bad();
            break;
        }
        case Kind::StringList:
            if (!v.is_array()) bad();
            for (const auto& e : v)
                if (!e.is_string()) bad();
            break;
    }
    f.set(c, v);
}

// Text from the environment or a flag, typed by the field.
json from_text(const Field& f, const std::string& text) {
    switch (f.kind) {
        case Kind::Int: {
            std::int64_t n = 0;
            auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            if (ec != std::errc{} || p != text.data() + text.size() || text.empty())
                throw ConfigError(label(f), fmt::format("must be {}, got \"{}\"", describe(f), shown(f, text)));
            return n;
        }
        case Kind::Number: {
            char* end = nullptr;
            errno = 0;
            double n = std::strtod(text.c_str(), &end);
            if (text.empty() || end != text.c_str() + text.size() || errno != 0)
                throw ConfigError(label(f), fmt::format("must be {}, got \"{}\"", describe(f), shown(f, text)));
            return n;
        }
        case Kind::String: return text;
        case Kind::StringList: {
            json arr = json::array();
            std::stringstream ss(text);
            std::string item;
            while (std::getline(ss, item, ',')) {
                auto b = item.find_first_not_of(" \t");
                auto e = item.find_last_not_of(" \t");
                if (b != std::string::npos) arr.push_back(item.substr(b, e - b + 1));
            }
            return arr;
        }
    }
    return nullptr;
}

void apply_object(Config& c, const json& obj, const std::string& prefix, const std::string& source) {
    for (const auto& [key, value] : obj.items()) {
        std::string path = prefix.empty() ? key : prefix + "." + key;
        if (const Field* f = find_field(path)) {
            apply(c, *f, value, value.dump());
        } else if (prefix.empty() && is_section(key)) {
            if (!value.is_object()) throw ConfigError(path, fmt::format("{}: must be an object", source));
            apply_object(c, value, path, source);
        } else {
            throw ConfigError(path, fmt::format("unknown setting in {}", source));
        }
    }
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
    if (!c.auth.admin_email.empty() && c.auth.admin_password.empty())
        throw ConfigError("auth.admin_password (SHOPD_ADMIN_PASSWORD)", "must be set when an admin email is given");
    // A URL of any other scheme would otherwise be taken for a SQLite file name.
    if (auto scheme = c.db.find("://"); scheme != std::string::npos) {
        std::string_view name(c.db.data(), scheme);
        if (name != "postgres" && name != "postgresql")
            throw ConfigError("db (SHOPD_DB)", "must be a file path or a postgres:// URL, got a " +
                                                   std::string(name) + ":// URL");
    }
    for (const auto& p : c.server.trusted_proxies)
        if (!address_or_cidr(p))
            throw ConfigError("server.trusted_proxies (SHOPD_TRUSTED_PROXIES)",
                              "\"" + p + "\" is not an IP address or CIDR block");
}

}  // namespace

Config parse_config_text(const std::string& json_text, const std::string& source_name) {
    Config c;
    json doc = json::parse(json_text, nullptr, false);
    if (doc.is_discarded()) throw ConfigError(source_name, "not valid JSON");
    if (!doc.is_object()) throw ConfigError(source_name, "must be a JSON object");
    apply_object(c, doc, "", source_name);
    return c;
}

Config load_config(const std::optional<std::string>& config_file, const Environment& env, const Overrides& flags) {
    Config c;
    std::string path = config_file.value_or("config/shopd.json");
    if (config_file || std::filesystem::exists(path)) {
        std::ifstream in(path);
        if (!in) throw ConfigError("--config", "cannot read " + path);
        std::stringstream ss;
        ss << in.rdbuf();
        c = parse_config_text(ss.str(), path);
    }
    for (const auto& f : fields()) {
        if (!f.env[0]) continue;
        if (auto it = env.find(f.env); it != env.end()) apply(c, f, from_text(f, it->second), "\"" + it->second + "\"");
    }
    for (const auto& [path_key, text] : flags) {
        const Field* f = find_field(path_key);
        if (!f) throw ConfigError(path_key, "unknown setting");
        apply(c, *f, from_text(*f, text), "\"" + text + "\"");
    }
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
