#pragma once
// The analytics module's SQL about the core's events table: the log for export. (Reading
// it to keep derived tables in step is the core's, in shop/events/projection.hpp.)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shop/db/database.hpp"
#include "shop/events/event.hpp"

namespace shop::analytics {

class EventRepository {
public:
    // The log for export: oldest first, seq above `after_seq`, of one type when given.
    std::vector<events::Event> list(db::Conn& c, std::int64_t after_seq, const std::optional<std::string>& type,
                                    int limit);
};

}  // namespace shop::analytics
