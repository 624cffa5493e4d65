#pragma once
// The terms of the in-memory search index, numbered in the order they were first seen.
// Exact lookups go through an open-addressing table of term numbers (4 bytes a slot, the
// text kept once in an arena); prefix lookups through the terms in sorted order, with the
// newest terms in a short unsorted tail that is merged in once it grows. Loading 100k
// products adds ~100k terms; re-sorting them all for every new term would not do.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace shop::search {

class TermDictionary {
public:
    static constexpr std::uint32_t npos = UINT32_MAX;

    // The term's number, or npos.
    std::uint32_t find(std::string_view term) const;
    // The term's number, added if new.
    std::uint32_t intern(std::string_view term);
    // Calls f(number) for every term starting with `prefix`.
    void with_prefix(std::string_view prefix, const std::function<void(std::uint32_t)>& f) const;

    // Merges the tail and gives back the room kept for growth (after a bulk load).
    void shrink();

    std::size_t size() const { return offsets_.size() - 1; }
    std::string_view term(std::uint32_t id) const {
        return std::string_view(arena_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
    }
    std::size_t memory_bytes() const;

private:
    std::size_t slot_of(std::string_view term) const;
    void grow();
    void merge_tail();

    std::string arena_;                       // every term's text, back to back
    std::vector<std::uint32_t> offsets_{0};   // term i is arena_[offsets_[i], offsets_[i + 1])
    std::vector<std::uint32_t> slots_ = std::vector<std::uint32_t>(1024, npos);  // hash table of numbers
    std::vector<std::uint32_t> sorted_;       // numbers, by text
    std::vector<std::uint32_t> tail_;         // numbers not yet in sorted_
};

}  // namespace shop::search
