#include "event_feed.hpp"

#include <algorithm>

namespace shop::data {

void EventFeed::subscribe(events::EventBus& bus, const Projection& p) {
    for (const auto& type : p.types)
        bus.subscribe_in_tx(type, [this, &p](db::Tx& tx, const events::Event& e) { apply(tx, p, e); });
}

void EventFeed::apply(db::Tx& tx, const Projection& p, const events::Event& e) {
    p.apply(tx, e);
    // The watermark may move to this event only if every earlier event of these types is
    // at or below it already. One that is not (written by a binary without this module,
    // or before the module existed) leaves the watermark where it is, and the next
    // catch-up applies it. Writers are serialised, so no earlier event can appear later.
    std::int64_t mark = repo_.watermark(tx, p.name);
    if (e.seq <= mark) return;
    std::int64_t before = 0;
    for (const auto& type : p.types) before = std::max(before, repo_.last_of_type_before(tx, type, e.seq));
    if (before <= mark) repo_.set_watermark(tx, p.name, e.seq);
}

std::int64_t EventFeed::catch_up(db::Database& db, const Projection& p, int batch) {
    std::int64_t total = 0;
    for (;;) {
        // Read and apply in one write transaction: no event can slip in between.
        std::int64_t n = db.write([&](db::Tx& tx) -> std::int64_t {
            std::int64_t mark = repo_.watermark(tx, p.name);
            auto events = repo_.of_types_after(tx, p.types, mark, batch);
            for (const auto& e : events) p.apply(tx, e);
            if (!events.empty()) repo_.set_watermark(tx, p.name, events.back().seq);
            return static_cast<std::int64_t>(events.size());
        });
        total += n;
        if (n < batch) return total;
    }
}

}  // namespace shop::data
