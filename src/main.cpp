// shopd's entry point; the composition itself lives in app/compose.hpp, shared with the
// fuzz harness.
#include "app/compose.hpp"

int main(int argc, char** argv) { return shop::app::run_cli(argc, argv, shop::app::compose); }
