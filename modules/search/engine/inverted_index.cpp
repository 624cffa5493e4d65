#include "inverted_index.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>

#include "text_terms.hpp"

namespace shop::search {

namespace {

// BM25 as FTS5's bm25() computes it, with its constants.
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr double kNameWeight = 10.0;
constexpr double kOtherWeight = 1.0;  // the description and the variants' text
constexpr std::int64_t kDenseDocs = 1 << 24;
constexpr std::uint32_t kMaxLength = (1u << 30) - 1;  // Doc::length's bits

double idf(std::size_t docs, std::size_t matching) {
    double v = std::log((static_cast<double>(docs) - static_cast<double>(matching) + 0.5) /
                        (static_cast<double>(matching) + 0.5));
    return v <= 0 ? 1e-6 : v;
}

double bm25_part(double idf, double hits, double length, double average) {
    return idf * hits * (kK1 + 1) / (hits + kK1 * (1 - kB + kB * length / average));
}

struct Ranked {
    double score;
    std::int64_t doc;
};
// True when a ranks before b: higher score, then lower document number (the FTS5 order).
bool ranks_before(const Ranked& a, const Ranked& b) {
    return a.score != b.score ? a.score > b.score : a.doc < b.doc;
}

// Keeps the best `k` of what it is offered.
class TopK {
public:
    explicit TopK(std::size_t k) : k_(k) {}
    void offer(Ranked r) {
        if (k_ == 0) return;
        if (heap_.size() < k_) {
            heap_.push(r);
        } else if (ranks_before(r, heap_.top())) {
            heap_.pop();
            heap_.push(r);
        }
    }
    std::vector<Ranked> best_first() {
        std::vector<Ranked> out;
        while (!heap_.empty()) {
            out.push_back(heap_.top());
            heap_.pop();
        }
        std::reverse(out.begin(), out.end());
        return out;
    }

private:
    std::size_t k_;
    // The top is the worst kept entry.
    std::priority_queue<Ranked, std::vector<Ranked>, decltype(&ranks_before)> heap_{&ranks_before};
};

// Counts per option value number in a buffer the thread keeps, touching only the numbers
// counted: a query pays for the values its matches have, not for every value in the shop
// (a catalogue may hold one value per product). The buffer is all zeros between queries.
class OptionTally {
public:
    explicit OptionTally(std::size_t numbers) {
        if (counts_.size() < numbers) counts_.resize(numbers, 0);
    }
    ~OptionTally() {
        for (std::uint32_t n : touched_) counts_[n] = 0;
        touched_.clear();
    }
    OptionTally(const OptionTally&) = delete;
    OptionTally& operator=(const OptionTally&) = delete;

    void add(std::uint32_t n) {
        if (counts_[n]++ == 0) touched_.push_back(n);
    }
    template <class F>
    void each(F&& f) const {
        for (std::uint32_t n : touched_) f(n, counts_[n]);
    }

private:
    static thread_local std::vector<std::int64_t> counts_;
    static thread_local std::vector<std::uint32_t> touched_;
};
thread_local std::vector<std::int64_t> OptionTally::counts_;
thread_local std::vector<std::uint32_t> OptionTally::touched_;

}  // namespace

std::uint32_t InvertedIndex::current(std::int64_t doc) const {
    if (doc >= 0 && doc < kDenseDocs) {
        auto i = static_cast<std::size_t>(doc);
        return i < by_doc_.size() ? by_doc_[i] : kNone;
    }
    auto it = by_large_doc_.find(doc);
    return it == by_large_doc_.end() ? kNone : it->second;
}

void InvertedIndex::set_current(std::int64_t doc, std::uint32_t id) {
    if (doc >= 0 && doc < kDenseDocs) {
        auto i = static_cast<std::size_t>(doc);
        if (i >= by_doc_.size()) by_doc_.resize(std::max(i + 1, by_doc_.size() * 2), kNone);
        by_doc_[i] = id;
    } else if (id == kNone) {
        by_large_doc_.erase(doc);
    } else {
        by_large_doc_[doc] = id;
    }
}

std::uint32_t InvertedIndex::category_number(const std::optional<std::string>& category) {
    if (!category) return kNoCategory;
    auto [it, added] = category_numbers_.emplace(*category, static_cast<std::uint32_t>(categories_.size()));
    if (added) categories_.push_back(*category);
    return it->second;
}

std::uint32_t InvertedIndex::option_number(const OptionValue& option) {
    auto [it, added] =
        option_numbers_.emplace(std::pair{option.name, option.value}, static_cast<std::uint32_t>(options_.size()));
    if (added) options_.push_back(option);
    return it->second;
}

void InvertedIndex::put(std::int64_t doc, const SearchDocument& d) {
    remove(doc);
    auto id = static_cast<std::uint32_t>(docs_.size());
    // (term, hits in name, other hits) of this document.
    std::vector<Posting> counts;
    std::uint32_t length = 0;
    auto count = [&](std::string_view text, bool in_name) {
        for_each_term(text, [&](std::size_t, std::size_t, const std::string& term) {
            ++length;
            std::uint32_t t = terms_.intern(term);
            auto it = std::find_if(counts.begin(), counts.end(), [&](const Posting& p) { return p.id == t; });
            if (it == counts.end()) it = counts.insert(counts.end(), Posting{t, 0, 0});
            ++(in_name ? it->name_hits : it->other_hits);
        });
    };
    count(d.name, true);
    count(d.description, false);
    count(d.variants, false);
    if (postings_.size() < terms_.size()) postings_.resize(terms_.size());
    for (const Posting& c : counts) postings_[c.id].add(id, c.name_hits, c.other_hits);
    for (const OptionValue& o : d.options) doc_options_.push_back(option_number(o));
    doc_options_at_.push_back(static_cast<std::uint32_t>(doc_options_.size()));
    docs_.push_back({doc, d.price, d.price_max, category_number(d.category_id),
                     std::min<std::uint32_t>(length, kMaxLength), 1, !d.options.empty()});
    set_current(doc, id);
    ++live_;
    live_length_ += length;
}

void InvertedIndex::remove(std::int64_t doc) {
    std::uint32_t id = current(doc);
    if (id == kNone) return;
    docs_[id].live = 0;
    --live_;
    live_length_ -= docs_[id].length;
    set_current(doc, kNone);
}

void InvertedIndex::postings_of(const std::string& term, bool prefix, bool name_only,
                                std::vector<Posting>& out) const {
    std::vector<std::uint32_t> ids;
    if (prefix) {
        terms_.with_prefix(term, [&](std::uint32_t t) { ids.push_back(t); });
    } else if (std::uint32_t t = terms_.find(term); t != TermDictionary::npos) {
        ids.push_back(t);
    }
    out.clear();
    for (std::uint32_t t : ids) {
        if (t >= postings_.size()) continue;
        postings_[t].each([&](std::uint32_t id, std::uint32_t name_hits, std::uint32_t other_hits) {
            if (!docs_[id].live || (name_only && name_hits == 0)) return;
            out.push_back({id, name_hits, other_hits});
        });
    }
    if (ids.size() > 1) {
        // A document may hold several words with this prefix: one posting, hits summed.
        std::sort(out.begin(), out.end(), [](const Posting& a, const Posting& b) { return a.id < b.id; });
        std::size_t w = 0;
        for (std::size_t r = 0; r < out.size(); ++r) {
            if (w > 0 && out[w - 1].id == out[r].id) {
                out[w - 1].name_hits += out[r].name_hits;
                out[w - 1].other_hits += out[r].other_hits;
            } else {
                out[w++] = out[r];
            }
        }
        out.resize(w);
    }
}

bool InvertedIndex::lists_of(const std::vector<std::string>& terms, bool name_only,
                             std::vector<std::vector<Posting>>& lists) const {
    // A common word has tens of thousands of postings: reusing the thread's buffers saves
    // allocating (and the allocator consolidating) that much on every query. A buffer
    // that grew past what a typical query needs is given back.
    constexpr std::size_t kKeep = 1 << 16;
    for (auto& l : lists)
        if (l.capacity() > kKeep) std::vector<Posting>().swap(l);
    lists.resize(terms.size());
    for (std::size_t i = 0; i < terms.size(); ++i) {
        postings_of(terms[i], i + 1 == terms.size(), name_only, lists[i]);
        if (lists[i].empty()) return false;
    }
    return true;
}

template <class F>
void InvertedIndex::intersect(const std::vector<std::vector<Posting>>& lists, F&& f) const {
    // Walk the shortest list; find each of its ids in the others, which only move forward.
    std::vector<std::size_t> order(lists.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lists[a].size() < lists[b].size(); });
    std::vector<std::size_t> pos(lists.size(), 0);
    std::vector<const Posting*> at(lists.size());
    auto by_id = [](const Posting& p, std::uint32_t id) { return p.id < id; };
    for (const Posting& p : lists[order[0]]) {
        at[order[0]] = &p;
        bool all = true;
        for (std::size_t k = 1; k < order.size() && all; ++k) {
            const auto& l = lists[order[k]];
            std::size_t& i = pos[order[k]];
            i = static_cast<std::size_t>(
                std::lower_bound(l.begin() + static_cast<std::ptrdiff_t>(i), l.end(), p.id, by_id) - l.begin());
            if (i == l.size()) return;  // this list is done: nothing later can match
            all = l[i].id == p.id;
            at[order[k]] = &l[i];
        }
        if (all) f(p.id, at);
    }
}

InvertedIndex::Result InvertedIndex::search(const std::vector<std::string>& terms, const DocFilter& filter, int offset,
                                            int limit) const {
    Result out;
    if (terms.empty() || live_ == 0) return out;
    thread_local std::vector<std::vector<Posting>> lists;
    if (!lists_of(terms, false, lists)) return out;
    std::vector<double> idfs;
    for (const auto& l : lists) idfs.push_back(idf(live_, l.size()));
    const double average = static_cast<double>(live_length_) / static_cast<double>(live_);

    std::vector<char> allowed;
    if (filter.categories) {
        allowed.assign(categories_.size(), 0);
        for (const auto& c : *filter.categories)
            if (auto it = category_numbers_.find(c); it != category_numbers_.end()) allowed[it->second] = 1;
    }
    std::vector<std::int64_t> per_category(categories_.size() + 1, 0);  // the last: no category
    OptionTally per_option(options_.size());
    PriceRange price{INT64_MAX, INT64_MIN};
    TopK top(static_cast<std::size_t>(std::max(0, offset)) + static_cast<std::size_t>(std::max(0, limit)));

    intersect(lists, [&](std::uint32_t id, const std::vector<const Posting*>& at) {
        const Doc& d = docs_[id];
        if (filter.min_price && d.price < *filter.min_price) return;
        if (filter.max_price && d.price > *filter.max_price) return;
        if (filter.categories && (d.category == kNoCategory || !allowed[d.category])) return;
        ++per_category[d.category == kNoCategory ? categories_.size() : d.category];
        if (d.has_options)
            for (std::uint32_t k = doc_options_at_[id]; k < doc_options_at_[id + 1]; ++k)
                per_option.add(doc_options_[k]);
        price.min = std::min(price.min, d.price);
        price.max = std::max(price.max, d.price_max);
        double score = 0;
        for (std::size_t i = 0; i < at.size(); ++i) {
            double hits = kNameWeight * at[i]->name_hits + kOtherWeight * at[i]->other_hits;
            score += bm25_part(idfs[i], hits, d.length, average);
        }
        top.offer({score, d.doc});
    });

    for (std::size_t c = 0; c < per_category.size(); ++c) {
        if (per_category[c] == 0) continue;
        out.total += per_category[c];
        out.facets.emplace_back(c < categories_.size() ? std::optional<std::string>(categories_[c]) : std::nullopt,
                                per_category[c]);
    }
    per_option.each([&](std::uint32_t n, std::int64_t count) { out.options.push_back({options_[n], count}); });
    if (out.total > 0) out.price = price;
    auto ranked = top.best_first();
    for (std::size_t i = static_cast<std::size_t>(std::max(0, offset)); i < ranked.size(); ++i)
        out.hits.push_back({ranked[i].doc, ranked[i].score});
    return out;
}

std::vector<std::int64_t> InvertedIndex::suggest(const std::vector<std::string>& terms, int limit) const {
    std::vector<std::int64_t> out;
    if (terms.empty() || live_ == 0 || limit <= 0) return out;
    thread_local std::vector<std::vector<Posting>> lists;
    if (!lists_of(terms, true, lists)) return out;
    std::vector<double> idfs;
    for (const auto& l : lists) idfs.push_back(idf(live_, l.size()));
    const double average = static_cast<double>(live_length_) / static_cast<double>(live_);
    TopK top(static_cast<std::size_t>(limit));
    intersect(lists, [&](std::uint32_t id, const std::vector<const Posting*>& at) {
        const Doc& d = docs_[id];
        double score = 0;
        for (std::size_t i = 0; i < at.size(); ++i) score += bm25_part(idfs[i], at[i]->name_hits, d.length, average);
        top.offer({score, d.doc});
    });
    for (const auto& r : top.best_first()) out.push_back(r.doc);
    return out;
}

void InvertedIndex::shrink() {
    terms_.shrink();
    for (auto& p : postings_) p.shrink();
    postings_.shrink_to_fit();
    docs_.shrink_to_fit();
    by_doc_.shrink_to_fit();
    doc_options_.shrink_to_fit();
    doc_options_at_.shrink_to_fit();
}

std::size_t InvertedIndex::memory_bytes() const {
    std::size_t bytes = terms_.memory_bytes() + postings_.capacity() * sizeof(PostingList) +
                        docs_.capacity() * sizeof(Doc) + by_doc_.capacity() * sizeof(std::uint32_t) +
                        (doc_options_.capacity() + doc_options_at_.capacity()) * sizeof(std::uint32_t);
    for (const auto& p : postings_) bytes += p.heap_bytes();
    return bytes;
}

}  // namespace shop::search
