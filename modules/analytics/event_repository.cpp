#include "event_repository.hpp"

namespace shop::data {

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

std::vector<events::Event> EventRepository::of_types_after(db::Conn& c, const std::vector<std::string>& types,
                                                           std::int64_t after_seq, int limit) {
    if (types.empty()) return {};
    // One placeholder per type; a consumer's list of types is fixed, so is this text.
    std::string sql =
        "SELECT seq, type, created_at, data FROM events WHERE seq > ? AND type IN (" + db::placeholders(types.size());
    std::vector<db::Value> params{after_seq};
    for (const auto& t : types) params.emplace_back(t);
    sql += ") ORDER BY seq LIMIT ?";
    params.emplace_back(std::int64_t{limit});
    return from_rows(c.query_values(sql, params));
}

std::int64_t EventRepository::last_of_type_before(db::Conn& c, const std::string& type, std::int64_t before_seq) {
    // Answered from the (type, seq) index without a scan.
    auto row = c.query_one("SELECT MAX(seq) FROM events WHERE type = ? AND seq < ?", type, before_seq);
    return row && !row->is_null(0) ? row->i64(0) : 0;
}

std::int64_t EventRepository::watermark(db::Conn& c, const std::string& consumer) {
    auto row = c.query_one("SELECT seq FROM data_watermarks WHERE consumer = ?", consumer);
    return row ? row->i64(0) : 0;
}

void EventRepository::set_watermark(db::Tx& tx, const std::string& consumer, std::int64_t seq) {
    tx.exec(
        "INSERT INTO data_watermarks(consumer, seq) VALUES (?, ?) "
        "ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq",
        consumer, seq);
}

}  // namespace shop::data
