#pragma once
// The domain event log as the export reads it (GET /api/v1/events).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "event_repository.hpp"
#include "shop/db/database.hpp"

namespace shop::analytics {

// An event as GET /api/v1/events shows it, and as webhooks deliver it: {id, type, created_at, data}.
nlohmann::json event_json(const events::Event& e);

class EventLog {
public:
    explicit EventLog(db::Database& db) : db_(db) {}

    // Oldest first, numbered above after_seq, of one type when given.
    std::vector<events::Event> list(std::int64_t after_seq, const std::optional<std::string>& type, int limit) {
        return db_.read([&](db::Conn& c) { return events_.list(c, after_seq, type, limit); });
    }

private:
    db::Database& db_;
    EventRepository events_;
};

}  // namespace shop::analytics
