#include "event_repository.hpp"

namespace shop::analytics {

namespace {

events::Event from_row(const db::Row& r) {
    events::Event e;
    e.seq = r.i64(0);
    e.type = r.str(1);
    e.created_at_ms = r.i64(2);
    e.data = nlohmann::json::parse(r.str(3), nullptr, false);
    // The core writes JSON; should a row hold anything else, it is shown as the text it is.
    if (e.data.is_discarded()) e.data = r.str(3);
    return e;
}

std::vector<events::Event> from_rows(const db::Rows& rows) {
    std::vector<events::Event> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

}  // namespace

std::vector<events::Event> EventRepository::list(db::Conn& c, std::int64_t after_seq,
                                                 const std::optional<std::string>& type, int limit) {
    if (type)
        return from_rows(c.query(
            "SELECT seq, type, created_at, data FROM events WHERE type = ? AND seq > ? ORDER BY seq LIMIT ?", *type,
            after_seq, limit));
    return from_rows(
        c.query("SELECT seq, type, created_at, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?", after_seq, limit));
}

}  // namespace shop::analytics
