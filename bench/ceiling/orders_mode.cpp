#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "modes.hpp"
#include "order_schema.hpp"
#include "place_order.hpp"

namespace shop::bench {

void remove_database(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
}

namespace {
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The seed is written without syncing: flushed here, its few hundred MB of writeback cannot
// queue ahead of the timed commits' fsyncs. shopd's benchmark database was loaded durably,
// before its run.
void sync_to_disk(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("cannot fsync " + path);
    }
    ::close(fd);
}

// bench/lua/orders.lua's request, by variant: a random buyer, 1-3 distinct random lines.
class Orders {
public:
    Orders(const Catalogue& c, std::uint64_t seed) : c_(c), rng_(seed) {}
    OrderRequest next() {
        OrderRequest r;
        r.user_id = c_.buyer_ids[pick(c_.buyer_ids.size())];
        r.key = fmt::format("bench-{}-{}", tag_, ++n_);
        r.fingerprint = fmt::format("{:016x}{:016x}{:016x}{:016x}", rng_(), rng_(), rng_(), rng_());
        std::size_t lines = 1 + pick(std::min(PlaceOrder::kMaxLines, c_.variant_ids.size()));
        while (r.variant_ids.size() < lines) {
            const std::string& id = c_.variant_ids[pick(c_.variant_ids.size())];
            if (std::find(r.variant_ids.begin(), r.variant_ids.end(), id) == r.variant_ids.end())
                r.variant_ids.push_back(id);
        }
        return r;
    }

private:
    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
    const Catalogue& c_;
    std::mt19937_64 rng_;
    std::uint64_t tag_ = 42;
    std::int64_t n_ = 0;
};
}  // namespace

int run_orders(const OrdersArgs& a) {
    remove_database(a.db);
    Db db(a.db);
    // Seeded unjournaled, in one transaction: the shop an order meets, not its making, is
    // what counts. Then shopd's journal and durability (SqliteDatabase's constructor).
    auto seed_start = Clock::now();
    db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF");
    create_order_tables(db);
    db.exec("BEGIN");
    Catalogue c = seed_catalogue(db, a.variants, a.seed);
    db.exec("COMMIT");
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    sync_to_disk(a.db);
    const double seed_s = seconds_since(seed_start);

    PlaceOrder place(db, a.seed + 1);
    Orders orders(c, a.seed + 2);
    Stmt begin(db, "BEGIN IMMEDIATE"), commit(db, "COMMIT");
    std::int64_t placed = 0, commits = 0;
    const auto start = Clock::now();
    const auto until = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(a.seconds));
    while (Clock::now() < until) {
        begin.run();
        for (std::int64_t i = 0; i < a.batch; ++i) place.place(orders.next());
        commit.run();
        placed += a.batch;
        ++commits;
    }
    const double elapsed = seconds_since(start);

    fmt::print(stderr,
               "orders: seeded {} products, {} variants, {} users, {} events in {:.1f} s; placed {} orders of 1-3 "
               "lines in {} commits of {} (WAL, synchronous=FULL) in {:.2f} s\n",
               c.products, c.variant_ids.size(), c.users, c.events, seed_s, placed, commits, a.batch,
               elapsed);
    fmt::print("{{\"mode\":\"orders\",\"batch\":{},\"orders\":{},\"seconds\":{:.3f},\"per_second\":{:.1f}}}\n",
               a.batch, placed, elapsed, static_cast<double>(placed) / elapsed);
    return 0;
}

}  // namespace shop::bench
