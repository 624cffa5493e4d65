#include <catch2/catch.hpp>

#include <fstream>

#include "shop/core/config.hpp"
#include "temp_dir.hpp"

using namespace shop::core;

namespace {
std::string write_file(const shop::test::TempDir& dir, const std::string& text) {
    std::string path = dir.file("shopd.json");
    std::ofstream(path) << text;
    return path;
}

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}
}  // namespace

TEST_CASE("defaults match the contract") {
    Config c = load_config(std::nullopt, {}, {});
    CHECK(c.server.port == 8080);
    CHECK(c.db == "./data/shopd.db");
    CHECK(c.server.max_body == 1048576);
    CHECK(c.shop.currency == "USD");
    CHECK(c.rate_limit.rps >= 100);
}

TEST_CASE("file, then environment, then flags: later wins") {
    shop::test::TempDir dir;
    auto path = write_file(dir, R"({"server": {"port": 1111, "max_body": 2048}, "shop": {"currency": "EUR"}})");

    Config file_only = load_config(path, {}, {});
    CHECK(file_only.server.port == 1111);
    CHECK(file_only.server.max_body == 2048);
    CHECK(file_only.shop.currency == "EUR");

    Config with_env = load_config(path, {{"SHOPD_PORT", "2222"}, {"SHOPD_CURRENCY", "GBP"}}, {});
    CHECK(with_env.server.port == 2222);
    CHECK(with_env.server.max_body == 2048);
    CHECK(with_env.shop.currency == "GBP");

    Config with_flag = load_config(path, {{"SHOPD_PORT", "2222"}}, {{"server.port", "3333"}});
    CHECK(with_flag.server.port == 3333);
}

TEST_CASE("every documented environment variable is read") {
    Environment env = {
        {"SHOPD_PORT", "9000"},           {"SHOPD_DB", "/tmp/x.db"},
        {"SHOPD_MAX_BODY", "4096"},       {"SHOPD_CURRENCY", "EUR"},
        {"SHOPD_LOG_LEVEL", "debug"},      {"SHOPD_RATE_LIMIT_RPS", "0"},    {"SHOPD_RATE_LIMIT_BURST", "10"},
        {"SHOPD_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"},
    };
    Config c = load_config(std::nullopt, env, {});
    CHECK(c.server.port == 9000);
    CHECK(c.db == "/tmp/x.db");
    CHECK(c.server.max_body == 4096);
    CHECK(c.shop.currency == "EUR");
    CHECK(c.log.level == "debug");
    CHECK(c.rate_limit.rps == 0);
    CHECK(c.rate_limit.burst == 10);
    CHECK(c.server.trusted_proxies == std::vector<std::string>{"127.0.0.1", "10.0.0.0/8"});
}

// What App::seal() does once every module has read its settings.
Config checked(const std::optional<std::string>& file, const Environment& env, const Overrides& flags) {
    Config c = load_config(file, env, flags);
    c.settings->check_unread();
    return c;
}

TEST_CASE("unknown keys and bad values are rejected, naming the setting") {
    shop::test::TempDir dir;
    CHECK_THAT(error_of([&] { checked(write_file(dir, R"({"server": {"prot": 1}})"), {}, {}); }),
               Catch::Contains("server.prot") && Catch::Contains("unknown"));
    CHECK_THAT(error_of([&] { checked(write_file(dir, R"({"nosuch": 1})"), {}, {}); }), Catch::Contains("nosuch"));
    CHECK_THAT(error_of([&] { checked(write_file(dir, R"({"nosuch": {"a": 1}})"), {}, {}); }),
               Catch::Contains("nosuch"));
    CHECK_THAT(error_of([&] { checked(std::nullopt, {}, {{"server.prot", "1"}}); }), Catch::Contains("server.prot"));
    // A dotted key at the top level is not the setting it looks like: refused, not ignored.
    CHECK_THAT(error_of([&] { checked(write_file(dir, R"({"server.port": 9090})"), {}, {}); }),
               Catch::Contains("server.port") && Catch::Contains("unknown"));
    // A module's section is unknown until that module reads it.
    CHECK_THAT(error_of([&] { checked(write_file(dir, R"({"auth": {"access_ttl_s": 60}})"), {}, {}); }),
               Catch::Contains("auth.access_ttl_s"));
    CHECK_THAT(error_of([&] { load_config(write_file(dir, R"({"server": {"port": "80"}})"), {}, {}); }),
               Catch::Contains("server.port"));
    CHECK_THAT(error_of([&] { load_config(write_file(dir, R"({"server": 5})"), {}, {}); }),
               Catch::Contains("server"));
    CHECK_THAT(error_of([&] { load_config(write_file(dir, "{not json"), {}, {}); }), Catch::Contains("JSON"));
    CHECK_THAT(error_of([&] { load_config(std::nullopt, {{"SHOPD_PORT", "abc"}}, {}); }),
               Catch::Contains("SHOPD_PORT"));
    CHECK_THAT(error_of([&] { load_config(std::nullopt, {{"SHOPD_PORT", "70000"}}, {}); }),
               Catch::Contains("SHOPD_PORT"));
    CHECK_THAT(error_of([&] { load_config(std::nullopt, {{"SHOPD_MAX_BODY", "-1"}}, {}); }),
               Catch::Contains("SHOPD_MAX_BODY"));
    CHECK_THAT(error_of([&] { load_config(std::nullopt, {{"SHOPD_CURRENCY", "usd"}}, {}); }),
               Catch::Contains("SHOPD_CURRENCY"));
    CHECK_THAT(error_of([&] { load_config(std::nullopt, {{"SHOPD_LOG_LEVEL", "loud"}}, {}); }),
               Catch::Contains("SHOPD_LOG_LEVEL"));
    CHECK_THAT(error_of([&] { load_config(std::nullopt, {{"SHOPD_RATE_LIMIT_RPS", "fast"}}, {}); }),
               Catch::Contains("SHOPD_RATE_LIMIT_RPS"));
    CHECK_THAT(error_of([&] { load_config(dir.file("missing.json"), {}, {}); }), Catch::Contains("missing.json"));
    CHECK_THAT(error_of([&] { load_config(std::nullopt, {{"SHOPD_TRUSTED_PROXIES", "10.0.0.1, garbage"}}, {}); }),
               Catch::Contains("SHOPD_TRUSTED_PROXIES"));
    CHECK_THAT(error_of([&] { load_config(std::nullopt, {{"SHOPD_TRUSTED_PROXIES", "10.0.0.0/33"}}, {}); }),
               Catch::Contains("SHOPD_TRUSTED_PROXIES"));
    CHECK_THAT(error_of([&] { load_config(std::nullopt, {{"SHOPD_DB", "mysql://x"}}, {}); }),
               Catch::Contains("SHOPD_DB"));
    CHECK_NOTHROW(load_config(std::nullopt, {{"SHOPD_TRUSTED_PROXIES", "10.0.0.0/8,::1,fd00::/8"}}, {}));
}

TEST_CASE("a placeholder password in a postgres:// database URL stops start-up, unshown") {
    // The PostgreSQL overlay's URL as shipped, and the other spellings libpq reads a password from.
    for (const char* url : {"postgres://shop:replace-me@postgres:5432/shop",
                            "postgresql://shop@127.0.0.1:1/shop?password=replace-me-too",
                            "postgres://shop:replace%2Dme@127.0.0.1/shop",
                            "postgres://shop:change-me-please@127.0.0.1/shop"}) {
        INFO(url);
        std::string msg = error_of([&] { load_config(std::nullopt, {{"SHOPD_DB", url}}, {}); });
        CHECK_THAT(msg, Catch::Contains("SHOPD_DB") && Catch::Contains("placeholder"));
        CHECK(msg.find("replace") == std::string::npos);
        CHECK(msg.find("change-me") == std::string::npos);
        CHECK(msg.find("shop:") == std::string::npos);
    }
    CHECK_THAT(error_of([&] { load_config(std::nullopt, {}, {{"db", "postgres://shop:replace-me@db/shop"}}); }),
               Catch::Contains("placeholder"));
    // A password of the operator's own, or none (a .pgpass or PGPASSWORD supplies it), starts.
    CHECK_NOTHROW(load_config(std::nullopt, {{"SHOPD_DB", "postgres://shop:Xq3-own-password@127.0.0.1/shop"}}, {}));
    CHECK_NOTHROW(load_config(std::nullopt, {{"SHOPD_DB", "postgres://shop@127.0.0.1/shop"}}, {}));
    // A file path is a SQLite database, whatever it is called.
    CHECK_NOTHROW(load_config(std::nullopt, {{"SHOPD_DB", "replace-me.db"}}, {}));
}

TEST_CASE("secrets never appear in a configuration error") {
    Settings s(std::nullopt, "none", {{"SHOPD_JWT_SECRET", std::string(5000, 'k')}}, {});
    std::string secret;
    std::string msg = error_of([&] { s.read({Setting::text("auth.jwt_secret", "SHOPD_JWT_SECRET", 0, 4096, secret)}); });
    CHECK_THAT(msg, Catch::Contains("SHOPD_JWT_SECRET"));
    CHECK(msg.find("kkkk") == std::string::npos);
}

TEST_CASE("a module's rows read its section from the file, the environment and flags, later winning") {
    shop::test::TempDir dir;
    Config c = load_config(write_file(dir, R"({"auth": {"access_ttl_s": 60, "admin_email": "a@b.co"}})"),
                           {{"SHOPD_ACCESS_TTL", "120"}}, {});
    int ttl = 900;
    std::string email;
    std::vector<Setting> rows = {Setting::integer("auth.access_ttl_s", "SHOPD_ACCESS_TTL", 1, 1e6, ttl),
                                 Setting::text("auth.admin_email", "SHOPD_ADMIN_EMAIL", 0, 320, email)};
    c.settings->read(rows);
    CHECK(ttl == 120);
    CHECK(email == "a@b.co");
    c.settings->set("auth.access_ttl_s", "30");
    c.settings->read(rows);
    CHECK(ttl == 30);
    CHECK_NOTHROW(c.settings->check_unread());

    int untouched = 7;
    Settings none;
    none.read({Setting::integer("auth.access_ttl_s", "SHOPD_ACCESS_TTL", 1, 1e6, untouched)});
    CHECK(untouched == 7);
    CHECK_THAT(error_of([&] {
                   Settings s(std::nullopt, "none", {{"SHOPD_ACCESS_TTL", "0"}}, {});
                   s.read(rows);
               }),
               Catch::Contains("auth.access_ttl_s (SHOPD_ACCESS_TTL)") && Catch::Contains("1 to"));
    CHECK_THAT(error_of([&] {
                   Settings s(R"({"auth": 5})", "f.json", {}, {});
                   s.read(rows);
               }),
               Catch::Contains("auth") && Catch::Contains("object"));
}

TEST_CASE("a boolean setting is true or false in the file, and true, false, 1 or 0 as text") {
    bool on = false;
    auto row = [&] { return Setting::boolean("shop.prices_include_tax", "SHOPD_PRICES_INCLUDE_TAX", on); };
    Settings file(R"({"shop": {"prices_include_tax": true}})", "f.json", {}, {});
    file.read({row()});
    CHECK(on);
    for (auto [text, want] : {std::pair{"false", false}, {"1", true}, {"0", false}, {"true", true}}) {
        Settings env(std::nullopt, "none", {{"SHOPD_PRICES_INCLUDE_TAX", text}}, {});
        env.read({row()});
        CHECK(on == want);
    }
    CHECK_THAT(error_of([&] {
                   Settings s(std::nullopt, "none", {{"SHOPD_PRICES_INCLUDE_TAX", "yes please"}}, {});
                   s.read({row()});
               }),
               Catch::Contains("SHOPD_PRICES_INCLUDE_TAX") && Catch::Contains("true or false"));
    CHECK_THAT(error_of([&] {
                   Settings s(R"({"shop": {"prices_include_tax": "true"}})", "f.json", {}, {});
                   s.read({row()});
               }),
               Catch::Contains("true or false"));
}
