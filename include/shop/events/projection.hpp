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
//
// A projection of every event type (webhooks) is `lazy` on PostgreSQL: the event's
// transaction does not move its watermark, since every write of every replica would update
// that one row and under SERIALIZABLE all but one of them retry (v1 orders went from 413 to
// 1,140/s on the bench's cluster without it). There a job calls advance(), which moves it
// over events old enough that no transaction writing an earlier one can still be open,
// applying them again on the way (to no effect; it is also how events of a replica without
// the module get applied there). What applying an event depends on may have changed by then
// (an endpoint disabled, its types edited), so such a projection may give `reapply`, which
// catch-up and advance() use instead of `apply` for events already in the log. The other
// projections follow a few event types and keep the live watermark.
#include <chrono>
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
    bool lazy = false;               // on PostgreSQL its watermark moves by advance() only
    events::TxSubscriber reapply = {};  // an event applied from the log later; empty: `apply`
};

class EventFeed {
public:
    // Applies each event of the projection's types in its own transaction. The projection
    // must outlive the bus.
    void subscribe(events::EventBus& bus, const Projection& p);
    // Applies, in batches of `batch` events per transaction, every event above the
    // watermark; returns how many events it read (and logs it, with the time, when any).
    std::int64_t catch_up(db::Database& db, const Projection& p, int batch = 500);
    // Applies one event and moves the watermark when that leaves no gap below it (not for a
    // lazy projection on PostgreSQL).
    void apply(db::Tx& tx, const Projection& p, const events::Event& e);
    // On PostgreSQL: for each subscribed lazy projection, applies the events above its watermark
    // written more than `settled` ago (transactions give up after 30 s), `batch` per
    // transaction, and moves the watermark over them. Returns how many it applied. Nothing
    // on SQLite, where apply() keeps the watermark current. The module runs it from a job.
    std::int64_t advance(db::Database& db, std::chrono::milliseconds settled = std::chrono::seconds(60),
                         int batch = 500);
    // How far the projection has applied the log (0: nothing yet).
    std::int64_t watermark(db::Conn& c, const std::string& projection);

private:
    std::vector<const Projection*> subscribed_;
};

}  // namespace shop::events
