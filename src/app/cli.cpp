#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "app/app.hpp"
#include "app/copy.hpp"
#include "shop/core/log.hpp"
#include "shop/version.hpp"

namespace shop::app {

namespace {

struct Options {
    std::optional<std::string> config_file;
    std::optional<std::string> db;
    std::optional<std::string> host;
    std::optional<int> port;
    bool demo = false;
    std::optional<std::string> modules;
    std::string out;
    std::string email;
    std::string password;
    bool admin = false;
    std::string from;
    std::string to;
};

void add_common(CLI::App* cmd, Options& o) {
    cmd->add_option("--config", o.config_file, "JSON settings file (default: config/shopd.json if present)");
    cmd->add_option("--db", o.db, "database: a SQLite file path or a postgres:// URL");
}

void add_serve(CLI::App* cmd, Options& o) {
    add_common(cmd, o);
    cmd->add_option("--port", o.port, "TCP port to listen on (0: any free port)");
    cmd->add_option("--host", o.host, "address to listen on");
    cmd->add_flag("--demo", o.demo, "load the demo catalog into an empty database, and the code WELCOME10 into a shop with no discount code");
    cmd->add_option("--modules", o.modules,
                    "comma-separated modules to serve (user,product,order,payment,search,analytics,pages; default: all)");
}

core::Config load(const Options& o) {
    core::Overrides flags;
    if (o.db) flags["db"] = *o.db;
    if (o.port) flags["server.port"] = std::to_string(*o.port);
    if (o.host) flags["server.host"] = *o.host;
    if (o.modules) flags["modules"] = *o.modules;
    core::Config c = core::load_config(o.config_file, core::process_environment(), flags);
    c.demo = o.demo;
    log::set_level(c.log.level);
    return c;
}

}  // namespace

int run_cli(int argc, char** argv, Compose compose) {
    CLI::App cli{"shopd: a complete e-commerce backend in one binary"};
    cli.set_version_flag("--version", std::string("shopd ") + std::string(kVersion));
    Options o;
    add_serve(&cli, o);  // plain `shopd` is `shopd serve`
    auto* serve = cli.add_subcommand("serve", "serve the HTTP API (the default)");
    add_serve(serve, o);
    auto* migrate = cli.add_subcommand("migrate", "apply database migrations and exit");
    add_common(migrate, o);
    auto* backup = cli.add_subcommand("backup", "write a consistent copy of the database, safe while serving");
    add_common(backup, o);
    backup->add_option("--out", o.out, "file to write")->required();
    auto* copy = cli.add_subcommand("copy", "copy a whole shop between SQLite and PostgreSQL (the target must be empty)");
    copy->add_option("--config", o.config_file, "JSON settings file (default: config/shopd.json if present)");
    copy->add_option("--from", o.from, "source: a SQLite file path or a postgres:// URL")->required();
    copy->add_option("--to", o.to, "target: a SQLite file path or a postgres:// URL")->required();
    auto* user = cli.add_subcommand("user", "manage accounts");
    user->require_subcommand(1);
    auto* user_create = user->add_subcommand("create", "create an account (exit 2 if the email is taken or invalid)");
    add_common(user_create, o);
    user_create->add_option("--email", o.email, "the account's email")->required();
    user_create->add_option("--password", o.password, "its password, 8 to 128 characters")->required();
    user_create->add_flag("--admin", o.admin, "make it an administrator");
    cli.require_subcommand(0, 1);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return cli.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return cli.exit(e);
    } catch (const CLI::ParseError& e) {
        cli.exit(e);
        return 2;
    }

    try {
        core::Config config = load(o);
        if (*copy) return copy_shop(config, o.from, o.to, compose);
        if (*backup) {
            if (config.db.starts_with("postgres://") || config.db.starts_with("postgresql://")) {
                std::fprintf(stderr, "shopd backup: copies SQLite files only; back up PostgreSQL with pg_dump\n");
                return 2;
            }
            App app(std::move(config));
            app.backup(o.out);
            std::printf("backup written to %s\n", o.out.c_str());
            return 0;
        }
        App app(std::move(config));
        compose(app);
        if (*migrate) {
            app.migrate();
            std::printf("migrations applied\n");
            return 0;
        }
        if (*user_create)
            return app.command("user create",
                               {{"email", o.email}, {"password", o.password}, {"admin", o.admin ? "true" : "false"}});
        return app.serve();
    } catch (const core::ConfigError& e) {
        std::fprintf(stderr, "shopd: bad setting %s\n", e.what());
        return 2;
    } catch (const CompositionError& e) {
        std::fprintf(stderr, "shopd: cannot compose the modules: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        log::error("fatal: {}", e.what());
        return 1;
    }
}

}  // namespace shop::app
