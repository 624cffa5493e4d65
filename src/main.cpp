// shopd's composition root: which modules exist, and who gets whose interface.
#include "app/app.hpp"

namespace {

void compose(shop::app::App& app) {
    (void)app;  // business modules are added here, in start order
}

}  // namespace

int main(int argc, char** argv) { return shop::app::run_cli(argc, argv, compose); }
