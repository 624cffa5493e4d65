#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "modes.hpp"
#include "sqlite_handle.hpp"

namespace shop::bench {

namespace {
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Loads `name<TAB>description` lines in one transaction; returns how many.
std::int64_t load_corpus(Db& db, const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read corpus " + path);
    Stmt insert(db, "INSERT INTO products_fts(name, description) VALUES (?, ?)");
    db.exec("BEGIN");
    std::int64_t rows = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        auto tab = line.find('\t');
        std::string_view name = std::string_view(line).substr(0, tab);
        std::string_view description = tab == std::string::npos ? std::string_view() : std::string_view(line).substr(tab + 1);
        Binds{insert}(name)(description);
        insert.run();
        ++rows;
    }
    db.exec("COMMIT");
    return rows;
}
}  // namespace

int run_fts(const FtsArgs& a) {
    remove_database(a.db);
    Db db(a.db);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    // shopd's FTS5 table (modules/search/fts5_search_index.cpp) has the same tokenizer and
    // prefix indexes, and a third column (variant skus and option values) the corpus lacks.
    db.exec(
        "CREATE VIRTUAL TABLE products_fts USING fts5(name, description, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')");
    auto load_start = Clock::now();
    const std::int64_t corpus = load_corpus(db, a.corpus);
    // One b-tree segment: FTS5 at its fastest, so the ceiling is not flattered low.
    if (a.optimize) db.exec("INSERT INTO products_fts(products_fts) VALUES ('optimize')");
    const double load_s = seconds_since(load_start);

    Stmt count(db, "SELECT count(*) FROM products_fts WHERE products_fts MATCH ?");
    Binds{count}(a.query);
    const std::int64_t matches = count.step() ? count.i64(0) : 0;
    count.reset();

    Stmt search(db, "SELECT rowid FROM products_fts WHERE products_fts MATCH ? ORDER BY rank LIMIT 20");
    std::int64_t queries = 0, rows = 0;
    const auto start = Clock::now();
    const auto until = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(a.seconds));
    while (Clock::now() < until) {
        Binds{search}(a.query);
        rows = 0;
        while (search.step()) {
            (void)search.i64(0);
            ++rows;
        }
        search.reset();
        ++queries;
    }
    const double elapsed = seconds_since(start);

    fmt::print(stderr,
               "fts: loaded {} rows from {} in {:.1f} s ({}); '{}' matches {}; ran {} queries of ORDER BY rank LIMIT "
               "20 in {:.2f} s\n",
               corpus, a.corpus, load_s, a.optimize ? "optimized" : "not optimized", a.query, matches, queries,
               elapsed);
    fmt::print(
        "{{\"mode\":\"fts\",\"query\":{},\"rows\":{},\"matches\":{},\"corpus\":{},\"queries\":{},"
        "\"seconds\":{:.3f},\"per_second\":{:.1f}}}\n",
        nlohmann::json(a.query).dump(), rows, matches, corpus, queries, elapsed, static_cast<double>(queries) / elapsed);
    return 0;
}

}  // namespace shop::bench
