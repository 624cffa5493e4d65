#pragma once
// Every SQL statement of the data module about the core's events table, and the
// watermarks that say how far each derived table has applied it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shop/db/database.hpp"
#include "shop/events/event.hpp"

namespace shop::data {

class EventRepository {
public:
    // The log for export: oldest first, seq above `after_seq`, of one type when given.
    std::vector<events::Event> list(db::Conn& c, std::int64_t after_seq, const std::optional<std::string>& type,
                                    int limit);
    // Events of any of `types` above `after_seq`, oldest first (catching up).
    std::vector<events::Event> of_types_after(db::Conn& c, const std::vector<std::string>& types,
                                              std::int64_t after_seq, int limit);
    // The highest seq of an event of `type` below `before_seq`; 0 when there is none.
    std::int64_t last_of_type_before(db::Conn& c, const std::string& type, std::int64_t before_seq);

    // Every event of a consumer's types with seq <= its watermark has been applied.
    std::int64_t watermark(db::Conn& c, const std::string& consumer);
    void set_watermark(db::Tx& tx, const std::string& consumer, std::int64_t seq);
};

}  // namespace shop::data
