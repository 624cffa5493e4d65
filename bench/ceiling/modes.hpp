#pragma once

#include <cstdint>
#include <string>

namespace shop::bench {

struct OrdersArgs {
    std::string db;
    double seconds = 0;
    std::int64_t batch = 1;
    std::int64_t variants = 466663;  // 100,000 products, every third with 12 variants
    std::uint64_t seed = 42;
};

struct FtsArgs {
    std::string db;
    std::string corpus;
    std::string query;
    double seconds = 0;
    bool optimize = true;
};

// Each prints its one JSON line on stdout and a summary line on stderr; returns the exit code.
int run_orders(const OrdersArgs& args);
int run_fts(const FtsArgs& args);

// Deletes `path` and its -wal, -shm and -journal files, so every run starts from nothing.
void remove_database(const std::string& path);

}  // namespace shop::bench
