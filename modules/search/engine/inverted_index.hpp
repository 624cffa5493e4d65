#pragma once
// The in-memory inverted index behind MemorySearchIndex: terms to postings, plus what
// filters, facets and BM25 need of each document (category, prices, option values,
// length). Text is not kept; the page's few documents are read back from the database for
// highlights.
//
// A document that changes gets a new internal number and its old postings are left dead,
// so every posting list only ever grows at its end. Not thread-safe: the owner locks.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "posting_list.hpp"
#include "search_document.hpp"
#include "term_dictionary.hpp"

namespace shop::search {

struct DocFilter {
    std::optional<std::vector<std::string>> categories;  // any of these
    std::optional<std::int64_t> min_price;
    std::optional<std::int64_t> max_price;
};

class InvertedIndex {
public:
    struct Hit {
        std::int64_t doc;  // the caller's document number
        double score;      // BM25, higher is better
    };
    struct Result {
        std::vector<Hit> hits;  // the requested page, best first, ties by document number
        // Over every match, not just the page:
        std::vector<std::pair<std::optional<std::string>, std::int64_t>> facets;  // category, matches
        std::vector<OptionCount> options;  // in no particular order
        std::optional<PriceRange> price;   // nullopt: nothing matched
        std::int64_t total = 0;
    };

    // Adds or replaces document `doc`.
    void put(std::int64_t doc, const SearchDocument& d);
    void remove(std::int64_t doc);

    // `terms` are folded words; all must match, the last as a prefix. A match in the name
    // weighs ten times one in the description or the variants, as the FTS5 index's bm25
    // weights.
    Result search(const std::vector<std::string>& terms, const DocFilter& filter, int offset, int limit) const;
    // Documents whose name matches `terms` (the last as a prefix), best first.
    std::vector<std::int64_t> suggest(const std::vector<std::string>& terms, int limit) const;

    // Gives back the room vectors keep for growth; after a bulk load.
    void shrink();

    std::size_t live() const { return live_; }
    std::size_t dead() const { return docs_.size() - live_; }
    std::size_t memory_bytes() const;

private:
    struct Doc {
        std::int64_t doc;
        std::int64_t price;
        std::int64_t price_max;
        std::uint32_t category;  // kNoCategory or an index into categories_
        std::uint32_t length : 30;  // words in name, description and variants
        std::uint32_t live : 1;
        std::uint32_t has_options : 1;  // most have none: their range in doc_options_ is not read
    };
    struct Posting {
        std::uint32_t id;
        std::uint32_t name_hits;
        std::uint32_t other_hits;  // in the description and the variants, which weigh alike
    };
    static constexpr std::uint32_t kNoCategory = UINT32_MAX;
    static constexpr std::uint32_t kNone = UINT32_MAX;

    // The live postings of one query word (merged over a prefix's terms), ids ascending.
    void postings_of(const std::string& term, bool prefix, bool name_only, std::vector<Posting>& out) const;
    // Each query word's postings, in buffers the calling thread reuses; false when a
    // word matches nothing.
    bool lists_of(const std::vector<std::string>& terms, bool name_only, std::vector<std::vector<Posting>>& lists) const;
    // Matching internal ids with each word's postings, for every id in all lists.
    template <class F>
    void intersect(const std::vector<std::vector<Posting>>& lists, F&& f) const;
    std::uint32_t current(std::int64_t doc) const;
    void set_current(std::int64_t doc, std::uint32_t id);
    std::uint32_t category_number(const std::optional<std::string>& category);
    std::uint32_t option_number(const OptionValue& option);

    TermDictionary terms_;
    std::vector<PostingList> postings_;  // by term number
    std::vector<Doc> docs_;              // by internal id
    std::vector<std::uint32_t> by_doc_;  // the caller's document number (small, dense) to internal id
    std::unordered_map<std::int64_t, std::uint32_t> by_large_doc_;  // numbers beyond by_doc_'s reach
    std::vector<std::string> categories_;
    std::unordered_map<std::string, std::uint32_t> category_numbers_;
    std::vector<OptionValue> options_;  // every option value seen, by number
    std::map<std::pair<std::string, std::string>, std::uint32_t> option_numbers_;
    // The option values of internal id i are doc_options_[doc_options_at_[i], doc_options_at_[i + 1]):
    // one array for all documents instead of a vector each (most products have none).
    std::vector<std::uint32_t> doc_options_;
    std::vector<std::uint32_t> doc_options_at_{0};
    std::size_t live_ = 0;
    std::uint64_t live_length_ = 0;
};

}  // namespace shop::search
