#pragma once
// One term's postings in the in-memory search index: (document, hits in the name, hits in
// the description and the variants' text), documents ascending, stored as varints of the
// gap to the previous document. A catalogue has many terms that occur once (model numbers,
// SKU-like words), so a list keeps its first postings inline (8 bytes: one or two postings)
// and allocates only when it outgrows them: 16 bytes for such a term instead of a vector's
// header plus a heap block. A heap block starts with the last document added (4 bytes),
// which the next gap is taken from; inline, the few postings are decoded to find it.
#include <cstdint>
#include <cstring>
#include <utility>

namespace shop::search {

class PostingList {
public:
    PostingList() = default;
    PostingList(const PostingList&) = delete;
    PostingList& operator=(const PostingList&) = delete;
    PostingList(PostingList&& o) noexcept { take(o); }
    PostingList& operator=(PostingList&& o) noexcept {
        if (this != &o) {
            release();
            take(o);
        }
        return *this;
    }
    ~PostingList() { release(); }

    // `doc` must be above every document added before.
    void add(std::uint32_t doc, std::uint32_t name_hits, std::uint32_t other_hits) {
        std::uint8_t buf[15];
        std::size_t n = put(buf, doc - last());
        n += put(buf + n, name_hits);
        n += put(buf + n, other_hits);
        reserve(size_ + static_cast<std::uint32_t>(n));
        std::memcpy(data() + size_, buf, n);
        size_ += static_cast<std::uint32_t>(n);
        if (on_heap()) std::memcpy(heap_, &doc, sizeof doc);
    }

    // Calls f(doc, name_hits, other_hits) for every posting, documents ascending.
    template <class F>
    void each(F&& f) const {
        const std::uint8_t* p = data();
        const std::uint8_t* end = p + size_;
        std::uint32_t doc = 0;
        while (p < end) {
            doc += get(p);
            std::uint32_t name_hits = get(p);
            std::uint32_t other_hits = get(p);
            f(doc, name_hits, other_hits);
        }
    }

    // Gives back the room kept for growth (after a bulk load).
    void shrink() {
        if (!on_heap() || size_ == cap_) return;
        std::uint8_t* old = heap_;
        if (size_ <= kInline) {
            std::memcpy(inline_, old + kHeader, size_);
            cap_ = kInline;
        } else {
            heap_ = new std::uint8_t[kHeader + size_];
            std::memcpy(heap_, old, kHeader + size_);
            cap_ = size_;
        }
        delete[] old;
    }

    std::uint32_t count() const {  // postings, dead documents included
        std::uint32_t n = 0;
        each([&](std::uint32_t, std::uint32_t, std::uint32_t) { ++n; });
        return n;
    }
    std::size_t heap_bytes() const { return on_heap() ? kHeader + cap_ : 0; }

private:
    static constexpr std::uint32_t kInline = 8;
    static constexpr std::size_t kHeader = sizeof(std::uint32_t);  // the last document, on the heap

    static std::size_t put(std::uint8_t* out, std::uint32_t v) {
        std::size_t n = 0;
        while (v >= 0x80) {
            out[n++] = static_cast<std::uint8_t>(v | 0x80);
            v >>= 7;
        }
        out[n++] = static_cast<std::uint8_t>(v);
        return n;
    }
    static std::uint32_t get(const std::uint8_t*& p) {
        std::uint32_t v = 0;
        for (int shift = 0;; shift += 7) {
            std::uint8_t b = *p++;
            v |= static_cast<std::uint32_t>(b & 0x7F) << shift;
            if (!(b & 0x80)) return v;
        }
    }

    bool on_heap() const { return cap_ > kInline; }
    std::uint8_t* data() { return on_heap() ? heap_ + kHeader : inline_; }
    const std::uint8_t* data() const { return on_heap() ? heap_ + kHeader : inline_; }

    std::uint32_t last() const {
        if (on_heap()) {
            std::uint32_t doc;
            std::memcpy(&doc, heap_, sizeof doc);
            return doc;
        }
        std::uint32_t doc = 0;
        each([&](std::uint32_t d, std::uint32_t, std::uint32_t) { doc = d; });
        return doc;
    }

    void reserve(std::uint32_t need) {
        if (need <= cap_) return;
        std::uint32_t cap = cap_ * 2;
        while (cap < need) cap *= 2;
        std::uint32_t last_doc = last();
        auto* grown = new std::uint8_t[kHeader + cap];
        std::memcpy(grown, &last_doc, sizeof last_doc);
        std::memcpy(grown + kHeader, data(), size_);
        release();
        heap_ = grown;
        cap_ = cap;
    }
    void release() {
        if (on_heap()) delete[] heap_;
        cap_ = kInline;
    }
    void take(PostingList& o) {
        size_ = o.size_;
        cap_ = o.cap_;
        if (on_heap())
            heap_ = o.heap_;
        else
            std::memcpy(inline_, o.inline_, kInline);
        o.cap_ = kInline;
        o.size_ = 0;
    }

    std::uint32_t size_ = 0;      // bytes of postings
    std::uint32_t cap_ = kInline;  // room for postings; above kInline they live on the heap
    union {
        std::uint8_t inline_[kInline];
        std::uint8_t* heap_;
    };
};

static_assert(sizeof(PostingList) == 16, "a term's postings: 16 bytes when they fit inline");

}  // namespace shop::search
