#pragma once
// Search on SQLite, answered from memory. FTS5 with ORDER BY rank computes BM25 for every
// match and sorts them, and counts facets with a join: a common word over 100k products
// costs milliseconds a query. This index keeps terms and postings in memory (InvertedIndex)
// and scores, filters, counts facets and keeps the top page in one pass over the postings.
//
// The FTS5 index stays the durable store and the source of truth: writes go to it in the
// writer's transaction, and each change gets a number (rev). Before every query the memory
// index applies the changes numbered above what it has seen (one indexed read, empty when
// nothing changed), so it follows its own replica's writes and other replicas' alike, and
// a product is findable on the next request. Until the first build finishes (in the
// background after start-up) queries go to FTS5.
#include <atomic>
#include <memory>
#include <shared_mutex>

#include "fts5_search_index.hpp"
#include "inverted_index.hpp"
#include "shop/core/scheduler.hpp"
#include "shop/db/database.hpp"

namespace shop::search {

class MemorySearchIndex final : public SearchIndex {
public:
    MemorySearchIndex(db::Database& db, core::Scheduler& scheduler) : db_(db), scheduler_(scheduler) {}

    void put(db::Tx& tx, const IndexedProduct& p) override { store_.put(tx, p); }
    void remove(db::Tx& tx, const std::string& product_id) override { store_.remove(tx, product_id); }
    SearchResult search(db::Conn& c, const SearchQuery& q) override;
    std::vector<std::string> suggest(db::Conn& c, const std::vector<std::string>& words, int limit) override;
    std::string highlight(const std::vector<std::string>& words, std::string_view text) const override;

    // Builds the index on the scheduler; queries before it is done go to FTS5. Without a
    // call to start() (tools, tests) the first query builds it in place.
    void start() override;

private:
    enum class State { Idle, Building, Ready };

    // Brings the index up to the snapshot of `c`; false while there is no index yet.
    bool follow(db::Conn& c);
    void build(db::Conn& c);
    void rebuild_later();

    db::Database& db_;
    core::Scheduler& scheduler_;
    Fts5SearchIndex store_;

    std::shared_mutex mu_;
    std::unique_ptr<InvertedIndex> index_;  // guarded by mu_
    std::int64_t rev_ = 0;                  // the last change in index_; guarded by mu_
    std::atomic<std::int64_t> seen_{0};     // rev_, readable without the lock
    std::atomic<State> state_{State::Idle};
    std::atomic<bool> rebuilding_{false};
};

}  // namespace shop::search
