#include "shop/events/projection.hpp"

#include <algorithm>

#include "shop/core/log.hpp"
#include "shop/core/time.hpp"

namespace shop::events {

namespace {

// The highest seq of an event of `type` below `before_seq`; 0 when there is none.
std::int64_t last_of_type_before(db::Conn& c, const std::string& type, std::int64_t before_seq) {
    // Answered from the (type, seq) index without a scan.
    auto row = c.query_one("SELECT MAX(seq) FROM events WHERE type = ? AND seq < ?", type, before_seq);
    return row && !row->is_null(0) ? row->i64(0) : 0;
}

// Events of any of `types` above `after_seq`, oldest first.
std::vector<Event> of_types_after(db::Conn& c, const std::vector<std::string>& types, std::int64_t after_seq,
                                  int limit) {
    if (types.empty()) return {};
    // One placeholder per type; a projection's list of types is fixed, so is this text.
    std::string sql =
        "SELECT seq, type, created_at, data FROM events WHERE seq > ? AND type IN (" + db::placeholders(types.size());
    std::vector<db::Value> params{after_seq};
    for (const auto& t : types) params.emplace_back(t);
    sql += ") ORDER BY seq LIMIT ?";
    params.emplace_back(std::int64_t{limit});
    std::vector<Event> out;
    for (const auto& r : c.query_values(sql, params)) {
        Event e;
        e.seq = r.i64(0);
        e.type = r.str(1);
        e.created_at_ms = r.i64(2);
        e.data = nlohmann::json::parse(r.str(3), nullptr, false);
        // The core writes JSON; should a row hold anything else, it is the text it is.
        if (e.data.is_discarded()) e.data = r.str(3);
        out.push_back(std::move(e));
    }
    return out;
}

void set_watermark(db::Tx& tx, const std::string& projection, std::int64_t seq) {
    tx.exec(
        "INSERT INTO data_watermarks(consumer, seq) VALUES (?, ?) "
        "ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq",
        projection, seq);
}

}  // namespace

void EventFeed::subscribe(events::EventBus& bus, const Projection& p) {
    subscribed_.push_back(&p);
    for (const auto& type : p.types)
        bus.subscribe_in_tx(type, [this, &p](db::Tx& tx, const events::Event& e) { apply(tx, p, e); });
}

std::int64_t EventFeed::watermark(db::Conn& c, const std::string& projection) {
    auto row = c.query_one("SELECT seq FROM data_watermarks WHERE consumer = ?", projection);
    return row ? row->i64(0) : 0;
}

void EventFeed::apply(db::Tx& tx, const Projection& p, const events::Event& e) {
    p.apply(tx, e);
    if (p.lazy && tx.dialect() == db::Dialect::Postgres) return;  // advance() moves it there
    // The watermark may move to this event only if every earlier event of these types is
    // at or below it already. One that is not (written by a binary without this module,
    // or before the module existed) leaves the watermark where it is, and the next
    // catch-up applies it. Writers are serialised, so no earlier event can appear later.
    std::int64_t mark = watermark(tx, p.name);
    if (e.seq <= mark) return;
    // Nothing can lie between the watermark and its successor: the usual case of a
    // projection of every type (webhooks) costs no look-up per type.
    if (e.seq == mark + 1) {
        set_watermark(tx, p.name, e.seq);
        return;
    }
    std::int64_t before = 0;
    for (const auto& type : p.types) before = std::max(before, last_of_type_before(tx, type, e.seq));
    if (before <= mark) set_watermark(tx, p.name, e.seq);
}

std::int64_t EventFeed::advance(db::Database& db, std::chrono::milliseconds settled, int batch) {
    if (db.dialect() != db::Dialect::Postgres) return 0;
    std::int64_t total = 0;
    for (const Projection* p : subscribed_) {
        if (!p->lazy) continue;
        for (;;) {
            const std::int64_t cutoff = core::now_ms() - settled.count();
            // Read and apply in one write transaction, as catch_up does.
            auto [n, full] = db.write([&](db::Tx& tx) -> std::pair<std::int64_t, bool> {
                auto events = of_types_after(tx, p->types, watermark(tx, p->name), batch);
                std::int64_t applied = 0, last = 0;
                for (const auto& e : events) {
                    if (e.created_at_ms > cutoff) break;
                    (p->reapply ? p->reapply : p->apply)(tx, e);
                    ++applied;
                    last = e.seq;
                }
                if (last > 0) set_watermark(tx, p->name, last);
                return {applied, applied == batch};
            });
            total += n;
            if (!full) break;
        }
    }
    return total;
}

std::int64_t EventFeed::catch_up(db::Database& db, const Projection& p, int batch) {
    const std::int64_t started = core::now_ms();
    std::int64_t total = 0;
    for (;;) {
        // Read and apply in one write transaction: no event can slip in between.
        std::int64_t n = db.write([&](db::Tx& tx) -> std::int64_t {
            std::int64_t mark = watermark(tx, p.name);
            auto events = of_types_after(tx, p.types, mark, batch);
            for (const auto& e : events) (p.reapply ? p.reapply : p.apply)(tx, e);
            if (!events.empty()) set_watermark(tx, p.name, events.back().seq);
            return static_cast<std::int64_t>(events.size());
        });
        total += n;
        if (n < batch) break;
    }
    if (total > 0) log::info("{}: caught up with {} events in {} ms", p.name, total, core::now_ms() - started);
    return total;
}

}  // namespace shop::events
