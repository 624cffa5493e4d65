// Config parsing: any text is a Config or a ConfigError (naming the setting), never
// another exception or a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "shop/core/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto c = shop::core::parse_config_text(text, "fuzz.json");
        if (c.server.port < 0 || c.server.port > 65535 || c.server.max_connections < 1) std::abort();
        // What start-up does once the modules have read theirs: here every other key is unknown.
        c.settings->check_unread();
    } catch (const shop::core::ConfigError&) {
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parse_config_text threw something other than ConfigError: %s\n", e.what());
        std::abort();
    }
    return 0;
}
