#pragma once
// Keeps a derived table (the search index, the sales aggregates) in step with the event
// log. Each event is applied inside the transaction that writes it (an in-transaction
// subscriber), so the table never lags; and at start-up whatever the table has not seen is
// applied from the events table (a fresh module on an old shop, events written by an
// older binary or by a replica without this module).
//
// The watermark of a projection says: every event of its types with seq <= watermark has
// been applied. Applying must be idempotent (the projection's own keys make a second
// application a no-op), because catching up may meet events applied in their transaction.
// Watermarks live in the core's table data_watermarks (its name is older than the core's
// ownership of it), keyed by the projection's name.
#include <cstdint>
#include <string>
#include <vector>

#include "shop/db/database.hpp"
#include "shop/events/event.hpp"

namespace shop::events {

struct Projection {
    std::string name;                // the watermark's key
    std::vector<std::string> types;  // the event types it consumes
    events::TxSubscriber apply;      // idempotent; runs in the caller's transaction
};

class EventFeed {
public:
    // Applies each event of the projection's types in its own transaction. The projection
    // must outlive the bus.
    void subscribe(events::EventBus& bus, const Projection& p);
    // Applies, in batches of `batch` events per transaction, every event above the
    // watermark; returns how many events it read (and logs it, with the time, when any).
    std::int64_t catch_up(db::Database& db, const Projection& p, int batch = 500);
    // Applies one event and moves the watermark when that leaves no gap below it.
    void apply(db::Tx& tx, const Projection& p, const events::Event& e);
    // How far the projection has applied the log (0: nothing yet).
    std::int64_t watermark(db::Conn& c, const std::string& projection);
};

}  // namespace shop::events
