#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace shop::db {
class Tx;
}

namespace shop::events {

// A domain event: written to the events table in the transaction of the change it
// records, then delivered to subscribers after that transaction commits.
struct Event {
    std::int64_t seq = 0;  // position in the log; the public id is "evt_<seq>"
    std::string type;      // "order.created", ...
    std::int64_t created_at_ms = 0;
    nlohmann::json data;   // names the ids it concerns: order_id, product_id, ...
    std::string id() const { return "evt_" + std::to_string(seq); }
};

// Subscribers run after commit, in commit order, on the writer thread, before the writers
// of that batch return. They must be quick and idempotent, and must not call
// Database::write (the writer would wait on itself): post such work to the Scheduler.
using Subscriber = std::function<void(const Event&)>;
// In-transaction subscribers run inside the writing transaction (for derived tables that
// must never lag, such as a search index); a throw undoes the write that emitted the event.
using TxSubscriber = std::function<void(db::Tx&, const Event&)>;

class EventBus {
public:
    virtual ~EventBus() = default;
    // type "*" receives every event.
    virtual void subscribe(std::string type, Subscriber fn) = 0;
    virtual void subscribe_in_tx(std::string type, TxSubscriber fn) = 0;
};

}  // namespace shop::events
