#include "db/event_bus.hpp"

#include "shop/core/log.hpp"
#include "shop/core/time.hpp"
#include "shop/db/database.hpp"

namespace shop::events {

void Bus::subscribe(std::string type, Subscriber fn) {
    std::lock_guard lock(mu_);
    subs_.emplace_back(std::move(type), std::move(fn));
}

void Bus::subscribe_in_tx(std::string type, TxSubscriber fn) {
    std::lock_guard lock(mu_);
    tx_subs_.emplace_back(std::move(type), std::move(fn));
}

Event Bus::record(db::Tx& tx, std::string type, nlohmann::json data) const {
    Event e;
    e.type = std::move(type);
    e.created_at_ms = core::now_ms();
    e.data = std::move(data);
    e.seq = tx.query("INSERT INTO events(type, created_at, data) VALUES (?, ?, ?) RETURNING seq", e.type,
                     e.created_at_ms, e.data.dump())
                .front()
                .i64(0);
    dispatch_in_tx(tx, e);
    return e;
}

void Bus::dispatch_in_tx(db::Tx& tx, const Event& e) const {
    std::lock_guard lock(mu_);
    for (const auto& [type, fn] : tx_subs_)
        if (type == "*" || type == e.type) fn(tx, e);
}

void Bus::deliver(const std::vector<Event>& events) const {
    std::lock_guard lock(mu_);
    for (const auto& e : events) {
        for (const auto& [type, fn] : subs_) {
            if (type != "*" && type != e.type) continue;
            // The change is committed already: a failing subscriber is logged, never undoes it.
            try {
                fn(e);
            } catch (const std::exception& ex) {
                log::error("event subscriber for {} failed: {}", e.type, ex.what());
            }
        }
    }
}

}  // namespace shop::events
