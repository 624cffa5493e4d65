// shop_bench_ceiling: this machine's raw SQLite ceilings, which bench/run measures in the same
// run as shopd and states shopd's figures as ratios to (issue 22). It uses SQLite's C API
// directly and none of shopd's code, so it measures SQLite on this disk and CPU, not shopd.
//
//   shop_bench_ceiling orders --db PATH --seconds S --batch N [--variants V] [--seed X]
//   shop_bench_ceiling fts --db PATH --corpus FILE --query WORD --seconds S [--no-optimize]
//
// Each deletes PATH (and its -wal, -shm) first, prints one JSON line on stdout and one line
// of what it did on stderr:
//   {"mode":"orders","batch":N,"orders":count,"seconds":elapsed,"per_second":x}
//   {"mode":"fts","query":"cotton","rows":20,"matches":m,"corpus":lines,"queries":count,...}
//
// orders: seeds bench/run's shop (order_schema.hpp: 100,000 products by default, every third
// with 12 variants, 10,000 customers, their events) into tables with shopd's columns and
// indexes, then for S seconds on one thread and one connection (foreign_keys=ON,
// busy_timeout, journal_mode=WAL, synchronous=FULL: shopd's settings) places plain orders,
// N per BEGIN IMMEDIATE ... COMMIT: a random one of 64 buyers, 1-3 random distinct variants,
// quantity 1, from a fixed-seed generator. Each order runs the statements shopd's SQLite path
// runs for POST /orders with an Idempotency-Key, in its order and with its SQL text (checked
// against a trace of the statements a running shopd steps), each prepared once:
//   SqliteDatabase::commit_batch (src/db/sqlite)    BEGIN IMMEDIATE; SAVEPOINT job ... RELEASE job; COMMIT
//   Idempotency::claim (src/core/idempotency.cpp)   INSERT INTO idempotency_keys ... ON CONFLICT DO NOTHING
//   ProductCatalog::items (modules/product)         the variants by id, their products, those products' variants
//   OrderService::checkout (modules/order)          shipping_zones (any), tax_rates by country, the buyer's row
//   ProductInventory::reserve -> VariantRepository::take_stock, shift_product_stock
//                                                   one conditional UPDATE of the variants, one of the products
//   OrderRepository::insert                         the order, then its lines in one INSERT
//   Bus::record (src/db/event_bus.cpp)              INSERT INTO events ... RETURNING seq (order.created)
//   WebhookService::fan_out, EventFeed::apply       enabled webhook endpoints (none); the webhooks watermark
//                                                   read and upserted (the only projection of order.created)
//   Idempotency::complete                           the key's row updated with the answer shopd stores
// Rows are read column by column as shopd's Connection::query reads them; the JSON texts
// written (the event, the stored answer) have shopd's shape and size.
// Left out, because they are what shopd adds on top of SQLite and what the ratio measures:
// HTTP, parsing and validating the request JSON, authentication (its read of the buyer's
// token_generation, on a reader connection before the write), rate limiting, the hop to the
// writer thread, turning rows into objects and the answer into JSON text, the after-commit
// event delivery. Also left out: the discount code, shipping rate and tax of the full
// checkout (this is the plain order; their tables are read and found empty, as shopd does
// when the shop has none), and the open-order cap (bench/run turns it off). SQLite's own
// auto-checkpoint stays on (1000 pages, on this thread), where shopd checkpoints on another
// thread: the ceiling pays for its checkpoints, as a program with one connection would.
//
// fts: loads FILE (UTF-8, one product a line, name<TAB>description) into an FTS5 table
// (name, description) with shopd's tokenizer (unicode61 remove_diacritics 2) and prefix
// indexes, in one transaction, merges it into one segment ('optimize', unless
// --no-optimize), then for S seconds runs SELECT rowid ... MATCH ? ORDER BY rank LIMIT 20,
// prepared once and reset after each query.
#include <fmt/format.h>

#include <charconv>
#include <exception>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "modes.hpp"

namespace {

constexpr const char* kUsage =
    "usage: shop_bench_ceiling orders --db PATH --seconds S --batch N [--variants V] [--seed X]\n"
    "       shop_bench_ceiling fts --db PATH --corpus FILE --query WORD --seconds S [--no-optimize]\n";

struct Options {
    std::map<std::string, std::string, std::less<>> values;

    Options(int argc, char** argv, std::initializer_list<std::string_view> known, std::string_view flag) {
        for (int i = 2; i < argc; ++i) {
            std::string_view name = argv[i];
            if (name == flag) {
                values.emplace(name, "");
                continue;
            }
            bool ok = false;
            for (auto k : known) ok = ok || k == name;
            if (!ok || i + 1 >= argc) throw std::invalid_argument(fmt::format("unknown or incomplete option {}", name));
            values.insert_or_assign(std::string(name), argv[++i]);
        }
    }
    bool has(std::string_view name) const { return values.find(name) != values.end(); }
    const std::string& text(std::string_view name) const {
        auto it = values.find(name);
        if (it == values.end()) throw std::invalid_argument(fmt::format("{} is required", name));
        return it->second;
    }
    std::int64_t integer(std::string_view name, std::int64_t min) const {
        const std::string& s = text(name);
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size() || v < min)
            throw std::invalid_argument(fmt::format("{} must be a whole number of at least {}", name, min));
        return v;
    }
    double seconds() const {
        const std::string& s = text("--seconds");
        std::size_t used = 0;
        double v = 0;
        try {
            v = std::stod(s, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != s.size() || !(v > 0 && v <= 3600))
            throw std::invalid_argument("--seconds must be a number of seconds above 0, at most 3600");
        return v;
    }
};

}  // namespace

int main(int argc, char** argv) {
    using namespace shop::bench;
    const std::string_view mode = argc > 1 ? argv[1] : "";
    try {
        if (mode == "orders") {
            Options o(argc, argv, {"--db", "--seconds", "--batch", "--variants", "--seed"}, "");
            OrdersArgs a;
            a.db = o.text("--db");
            a.seconds = o.seconds();
            a.batch = o.integer("--batch", 1);
            if (o.has("--variants")) a.variants = o.integer("--variants", 1);
            if (o.has("--seed")) a.seed = static_cast<std::uint64_t>(o.integer("--seed", 0));
            return run_orders(a);
        }
        if (mode == "fts") {
            Options o(argc, argv, {"--db", "--corpus", "--query", "--seconds"}, "--no-optimize");
            FtsArgs a;
            a.db = o.text("--db");
            a.corpus = o.text("--corpus");
            a.query = o.text("--query");
            a.seconds = o.seconds();
            a.optimize = !o.has("--no-optimize");
            return run_fts(a);
        }
        fmt::print(stderr, "{}", kUsage);
        return 2;
    } catch (const std::invalid_argument& e) {
        fmt::print(stderr, "shop_bench_ceiling: {}\n{}", e.what(), kUsage);
        return 2;
    } catch (const std::exception& e) {
        fmt::print(stderr, "shop_bench_ceiling {}: {}\n", mode, e.what());
        return 1;
    }
}
