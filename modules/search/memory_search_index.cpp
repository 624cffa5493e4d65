#include "memory_search_index.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "shop/core/log.hpp"
#include "shop/core/time.hpp"
#include "text_terms.hpp"

namespace shop::search {

namespace {

constexpr int kBatch = 2000;

void apply(InvertedIndex& index, const DocChange& ch) {
    if (ch.active)
        index.put(ch.doc, ch);
    else
        index.remove(ch.doc);
}

std::vector<std::string> folded(const std::vector<std::string>& words) {
    std::vector<std::string> out;
    for (const auto& w : words) {
        std::string f = fold_word(w);
        if (!f.empty()) out.push_back(std::move(f));
    }
    return out;
}

// The text with kMarkOpen/kMarkClose around each word the query matched: the terms
// exactly, the last one also as a prefix, as FTS5's highlight() marks them. Any marker
// already in the text is blanked, as the FTS5 store does.
std::string highlighted(std::string_view raw, const std::vector<std::string>& terms) {
    std::string text(raw);
    std::replace(text.begin(), text.end(), kMarkOpen, ' ');
    std::replace(text.begin(), text.end(), kMarkClose, ' ');
    std::string out;
    std::size_t from = 0;
    for_each_term(text, [&](std::size_t begin, std::size_t end, const std::string& term) {
        bool hit = false;
        for (std::size_t i = 0; i < terms.size() && !hit; ++i)
            hit = i + 1 == terms.size() ? term.starts_with(terms[i]) : term == terms[i];
        if (!hit) return;
        out.append(text, from, begin - from);
        out += kMarkOpen;
        out.append(text, begin, end - begin);
        out += kMarkClose;
        from = end;
    });
    out.append(text, from);
    return out;
}

}  // namespace

void MemorySearchIndex::start() {
    State idle = State::Idle;
    if (!state_.compare_exchange_strong(idle, State::Building)) return;
    scheduler_.post([this] {
        try {
            db_.read([&](db::Conn& c) { build(c); });
        } catch (const std::exception& e) {
            log::error("search: building the in-memory index failed ({}); FTS5 keeps answering", e.what());
            state_ = State::Idle;
        }
    });
}

void MemorySearchIndex::build(db::Conn& c) {
    std::int64_t started = core::now_ms();
    auto fresh = std::make_unique<InvertedIndex>();
    std::int64_t rev = 0;
    for (;;) {
        auto changes = store_.changes_after(c, rev, kBatch);
        for (const auto& ch : changes) apply(*fresh, ch);
        if (!changes.empty()) rev = changes.back().rev;
        if (changes.size() < static_cast<std::size_t>(kBatch)) break;
    }
    fresh->shrink();
    std::size_t live = fresh->live(), bytes = fresh->memory_bytes();
    {
        std::unique_lock lock(mu_);
        index_ = std::move(fresh);
        rev_ = rev;
        seen_ = rev;
    }
    state_ = State::Ready;
#if defined(__GLIBC__)
    malloc_trim(0);  // the batches' rows are gone; give their pages back
#endif
    log::info("search: in-memory index of {} products built in {} ms ({} KiB)", live, core::now_ms() - started,
              bytes / 1024);
}

void MemorySearchIndex::rebuild_later() {
    bool no = false;
    if (!rebuilding_.compare_exchange_strong(no, true)) return;
    scheduler_.post([this] {
        try {
            db_.read([&](db::Conn& c) { build(c); });
        } catch (const std::exception& e) {
            log::warn("search: rebuilding the in-memory index failed ({})", e.what());
        }
        rebuilding_ = false;
    });
}

bool MemorySearchIndex::follow(db::Conn& c) {
    State s = state_.load();
    if (s == State::Idle) {
        // Nobody asked for a background build (a tool, a test): build here, once.
        State idle = State::Idle;
        if (state_.compare_exchange_strong(idle, State::Building)) {
            try {
                build(c);
            } catch (...) {
                state_ = State::Idle;
                throw;
            }
        }
        s = state_.load();
    }
    if (s != State::Ready) return false;
    bool crowded = false;
    for (;;) {
        auto changes = store_.changes_after(c, seen_.load(), kBatch);
        if (changes.empty()) break;
        {
            std::unique_lock lock(mu_);
            for (const auto& ch : changes) {
                if (ch.rev <= rev_) continue;  // another query applied it first
                apply(*index_, ch);
                rev_ = ch.rev;
            }
            seen_ = rev_;
            // Changed documents leave dead postings behind; past a point, start afresh.
            crowded = index_->dead() > index_->live() / 2 + 10000;
        }
        if (changes.size() < static_cast<std::size_t>(kBatch)) break;
    }
    if (crowded) rebuild_later();
    return true;
}

SearchResult MemorySearchIndex::search(db::Conn& c, const SearchQuery& q) {
    if (!follow(c)) return store_.search(c, q);
    SearchResult out;
    std::vector<std::string> terms = folded(q.words);
    if (terms.empty() || terms.size() != q.words.size()) return out;
    InvertedIndex::Result r;
    {
        std::shared_lock lock(mu_);
        r = index_->search(terms, {q.categories, q.min_price, q.max_price}, q.offset, q.limit);
    }
    out.total = r.total;
    for (auto& [category, count] : r.facets) out.categories.push_back({std::move(category), count});
    out.options = std::move(r.options);
    out.price = r.price;
    if (r.hits.empty()) return out;

    std::vector<std::int64_t> docs;
    for (const auto& h : r.hits) docs.push_back(h.doc);
    // Only the page's product ids are read back; the caller loads those products and has
    // their text marked by highlight().
    std::unordered_map<std::int64_t, std::string> ids;
    for (auto& [doc, product_id] : store_.product_ids(c, docs)) ids.emplace(doc, std::move(product_id));
    for (const auto& h : r.hits) {
        auto it = ids.find(h.doc);
        if (it == ids.end()) continue;  // removed after the index saw it, in a newer snapshot
        out.hits.push_back({it->second, h.score, false, {}, {}});
    }
    return out;
}

std::string MemorySearchIndex::highlight(const std::vector<std::string>& words, std::string_view text) const {
    return highlighted(text, folded(words));
}

std::vector<std::string> MemorySearchIndex::suggest(db::Conn& c, const std::vector<std::string>& words, int limit) {
    if (!follow(c)) return store_.suggest(c, words, limit);
    std::vector<std::string> out;
    std::vector<std::string> terms = folded(words);
    if (terms.empty() || terms.size() != words.size() || limit <= 0) return out;
    std::vector<std::int64_t> docs;
    {
        std::shared_lock lock(mu_);
        // Enough candidates to fill `limit` distinct names when a few products share one.
        docs = index_->suggest(terms, limit * 10);
    }
    std::unordered_map<std::int64_t, std::string> names;
    for (auto& t : store_.texts(c, docs)) names.emplace(t.doc, std::move(t.name));
    std::vector<std::string> seen;
    for (auto doc : docs) {
        auto it = names.find(doc);
        if (it == names.end() || std::find(seen.begin(), seen.end(), it->second) != seen.end()) continue;
        seen.push_back(it->second);
        if (static_cast<int>(seen.size()) >= limit) break;
    }
    return seen;
}

}  // namespace shop::search
