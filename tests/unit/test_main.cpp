#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "shop/core/log.hpp"

int main(int argc, char* argv[]) {
    // Tests assert on behaviour, not on log lines; keep their output readable.
    shop::log::set_level(shop::log::Level::Warn);
    return Catch::Session().run(argc, argv);
}
