#include "webhook_endpoint_repository.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace shop::analytics {

namespace {

constexpr auto kColumns = "id, url, events, description, secret, enabled, created_at, updated_at";

WebhookEndpoint from_row(const db::Row& r) {
    WebhookEndpoint e;
    e.id = r.str(0);
    e.url = r.str(1);
    auto events = nlohmann::json::parse(r.str(2), nullptr, false);
    if (events.is_array())
        for (const auto& t : events)
            if (t.is_string()) e.events.push_back(t.get<std::string>());
    e.description = r.opt_str(3);
    e.secret = r.str(4);
    e.enabled = r.i64(5) != 0;
    e.created_at_ms = r.i64(6);
    e.updated_at_ms = r.i64(7);
    return e;
}

std::vector<WebhookEndpoint> from_rows(const db::Rows& rows) {
    std::vector<WebhookEndpoint> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(from_row(r));
    return out;
}

std::string events_text(const WebhookEndpoint& e) { return nlohmann::json(e.events).dump(); }

}  // namespace

bool WebhookEndpoint::subscribes(const std::string& type) const {
    return std::any_of(events.begin(), events.end(), [&](const std::string& t) { return t == "*" || t == type; });
}

void WebhookEndpointRepository::insert(db::Tx& tx, const WebhookEndpoint& e) {
    tx.exec("INSERT INTO webhook_endpoints(id, url, events, description, secret, enabled, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            e.id, e.url, events_text(e), e.description, e.secret, e.enabled, e.created_at_ms, e.updated_at_ms);
}

void WebhookEndpointRepository::update(db::Tx& tx, const WebhookEndpoint& e) {
    tx.exec("UPDATE webhook_endpoints SET url = ?, events = ?, description = ?, enabled = ?, updated_at = ? "
            "WHERE id = ?",
            e.url, events_text(e), e.description, e.enabled, e.updated_at_ms, e.id);
}

bool WebhookEndpointRepository::remove(db::Tx& tx, const std::string& id) {
    return tx.exec("DELETE FROM webhook_endpoints WHERE id = ?", id) == 1;
}

std::optional<WebhookEndpoint> WebhookEndpointRepository::find(db::Conn& c, const std::string& id) {
    auto r = c.query_one(std::string("SELECT ") + kColumns + " FROM webhook_endpoints WHERE id = ?", id);
    if (!r) return std::nullopt;
    return from_row(*r);
}

std::vector<WebhookEndpoint> WebhookEndpointRepository::list(db::Conn& c, std::optional<std::int64_t> before_at,
                                                             const std::string& before_id, int limit) {
    if (before_at)
        return from_rows(c.query(std::string("SELECT ") + kColumns +
                                     " FROM webhook_endpoints WHERE created_at < ? OR (created_at = ? AND id < ?) "
                                     "ORDER BY created_at DESC, id DESC LIMIT ?",
                                 *before_at, *before_at, before_id, limit));
    return from_rows(c.query(
        std::string("SELECT ") + kColumns + " FROM webhook_endpoints ORDER BY created_at DESC, id DESC LIMIT ?", limit));
}

std::vector<WebhookEndpoint> WebhookEndpointRepository::enabled(db::Conn& c) {
    return from_rows(c.query(std::string("SELECT ") + kColumns + " FROM webhook_endpoints WHERE enabled = 1"));
}

std::vector<WebhookEndpoint> WebhookEndpointRepository::by_ids(db::Conn& c, const std::vector<std::string>& ids) {
    if (ids.empty()) return {};
    std::vector<db::Value> params(ids.begin(), ids.end());
    return from_rows(c.query_values(std::string("SELECT ") + kColumns + " FROM webhook_endpoints WHERE id IN (" +
                                        db::placeholders(ids.size()) + ")",
                                    params));
}

}  // namespace shop::analytics
