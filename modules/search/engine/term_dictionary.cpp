#include "term_dictionary.hpp"

#include <algorithm>

namespace shop::search {

namespace {

constexpr std::size_t kTailLimit = 2048;

std::uint64_t hash_of(std::string_view s) {
    // FNV-1a: short keys, no adversary who could pick product names to collide cheaply
    // matters here (admins write the catalogue).
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

}  // namespace

std::size_t TermDictionary::slot_of(std::string_view term) const {
    std::size_t mask = slots_.size() - 1;
    std::size_t i = hash_of(term) & mask;
    while (slots_[i] != npos && this->term(slots_[i]) != term) i = (i + 1) & mask;
    return i;
}

std::uint32_t TermDictionary::find(std::string_view term) const { return slots_[slot_of(term)]; }

std::uint32_t TermDictionary::intern(std::string_view term) {
    std::size_t slot = slot_of(term);
    if (slots_[slot] != npos) return slots_[slot];
    auto id = static_cast<std::uint32_t>(size());
    arena_.append(term);
    offsets_.push_back(static_cast<std::uint32_t>(arena_.size()));
    slots_[slot] = id;
    if (size() * 2 > slots_.size()) grow();
    tail_.push_back(id);
    if (tail_.size() >= kTailLimit) merge_tail();
    return id;
}

void TermDictionary::grow() {
    std::vector<std::uint32_t> old = std::move(slots_);
    slots_.assign(old.size() * 2, npos);
    for (std::uint32_t id : old)
        if (id != npos) slots_[slot_of(term(id))] = id;
}

void TermDictionary::merge_tail() {
    auto by_text = [this](std::uint32_t a, std::uint32_t b) { return term(a) < term(b); };
    std::sort(tail_.begin(), tail_.end(), by_text);
    std::size_t middle = sorted_.size();
    sorted_.insert(sorted_.end(), tail_.begin(), tail_.end());
    std::inplace_merge(sorted_.begin(), sorted_.begin() + static_cast<std::ptrdiff_t>(middle), sorted_.end(), by_text);
    tail_.clear();
}

void TermDictionary::with_prefix(std::string_view prefix, const std::function<void(std::uint32_t)>& f) const {
    auto it = std::lower_bound(sorted_.begin(), sorted_.end(), prefix,
                               [this](std::uint32_t id, std::string_view p) { return term(id) < p; });
    for (; it != sorted_.end() && term(*it).starts_with(prefix); ++it) f(*it);
    for (std::uint32_t id : tail_)
        if (term(id).starts_with(prefix)) f(id);
}

void TermDictionary::shrink() {
    if (!tail_.empty()) merge_tail();
    arena_.shrink_to_fit();
    offsets_.shrink_to_fit();
    sorted_.shrink_to_fit();
    tail_.shrink_to_fit();
}

std::size_t TermDictionary::memory_bytes() const {
    return arena_.capacity() + 4 * (offsets_.capacity() + slots_.capacity() + sorted_.capacity() + tail_.capacity());
}

}  // namespace shop::search
