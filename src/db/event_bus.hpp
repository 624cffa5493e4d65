#pragma once
#include <mutex>
#include <string>
#include <vector>

#include "shop/events/event.hpp"

namespace shop::events {

// The in-process bus. Backends call dispatch_in_tx() from Tx::emit and deliver() after
// commit, in commit order, from the single writer thread.
class Bus final : public EventBus {
public:
    void subscribe(std::string type, Subscriber fn) override;
    void subscribe_in_tx(std::string type, TxSubscriber fn) override;

    // Appends the event to the log in tx (the core's events table), runs the in-transaction
    // subscribers, and returns it for after-commit delivery. Every backend's Tx::emit.
    Event record(db::Tx& tx, std::string type, nlohmann::json data) const;
    void dispatch_in_tx(db::Tx& tx, const Event& e) const;
    void deliver(const std::vector<Event>& events) const;

private:
    mutable std::mutex mu_;  // subscriptions are made at start-up; the lock keeps that honest
    std::vector<std::pair<std::string, Subscriber>> subs_;
    std::vector<std::pair<std::string, TxSubscriber>> tx_subs_;
};

}  // namespace shop::events
