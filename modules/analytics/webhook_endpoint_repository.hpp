#pragma once
// The webhook endpoints' SQL (table webhook_endpoints, migration ("data", 6)). Their
// deliveries are core outbox jobs of kind "webhook" scoped by the endpoint's id.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shop/db/database.hpp"

namespace shop::analytics {

struct WebhookEndpoint {
    std::string id;
    std::string url;
    std::vector<std::string> events;  // event types, or {"*"}
    std::optional<std::string> description;
    std::string secret;
    bool enabled = true;
    std::int64_t created_at_ms = 0;
    std::int64_t updated_at_ms = 0;

    bool subscribes(const std::string& type) const;
};

class WebhookEndpointRepository {
public:
    void insert(db::Tx& tx, const WebhookEndpoint& e);
    void update(db::Tx& tx, const WebhookEndpoint& e);
    bool remove(db::Tx& tx, const std::string& id);
    std::optional<WebhookEndpoint> find(db::Conn& c, const std::string& id);
    // Newest first, below the keyset (created_at, id) when given.
    std::vector<WebhookEndpoint> list(db::Conn& c, std::optional<std::int64_t> before_at,
                                      const std::string& before_id, int limit);
    // The enabled endpoints, for fanning an event out.
    std::vector<WebhookEndpoint> enabled(db::Conn& c);
    // Endpoints by id (the sender's batch), enabled or not.
    std::vector<WebhookEndpoint> by_ids(db::Conn& c, const std::vector<std::string>& ids);
};

}  // namespace shop::analytics
