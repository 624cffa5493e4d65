// shopd's entry point; the composition itself lives in app/compose.hpp, shared with the
// fuzz harness.
#include "app/compose.hpp"

#ifdef SHOP_MIMALLOC
#include <mimalloc.h>
#endif

int main(int argc, char** argv) {
#ifdef SHOP_MIMALLOC
    // Give freed memory back to the system at once instead of after mimalloc's default
    // delay: an idle server then holds what it uses, not what a burst of requests (or
    // building the search index) once needed. Measured: no cost in throughput.
    mi_option_set(mi_option_decommit_delay, 0);
#endif
    return shop::app::run_cli(argc, argv, shop::app::compose);
}
