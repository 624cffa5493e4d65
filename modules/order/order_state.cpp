#include "order_state.hpp"

#include <string>
#include <utility>

namespace shop::order {

namespace {
constexpr std::pair<Status, std::string_view> kStatusNames[] = {
    {Status::PendingPayment, "pending_payment"},
    {Status::Paid, "paid"},
    {Status::PartiallyShipped, "partially_shipped"},
    {Status::Shipped, "shipped"},
    {Status::Delivered, "delivered"},
    {Status::Cancelled, "cancelled"},
    {Status::Expired, "expired"},
};

struct Transition {
    Status from;
    Action action;
    Status to;
};

// The only list of allowed transitions; tests/unit/order/order_state_test.cpp checks every
// state against every action.
constexpr Transition kTransitions[] = {
    {Status::PendingPayment, Action::Pay, Status::Paid},
    {Status::PendingPayment, Action::Cancel, Status::Cancelled},
    {Status::PendingPayment, Action::Expire, Status::Expired},
    {Status::Paid, Action::ShipPartly, Status::PartiallyShipped},
    {Status::Paid, Action::Ship, Status::Shipped},
    {Status::Paid, Action::Cancel, Status::Cancelled},
    {Status::PartiallyShipped, Action::ShipPartly, Status::PartiallyShipped},
    {Status::PartiallyShipped, Action::Ship, Status::Shipped},
    {Status::Shipped, Action::Deliver, Status::Delivered},
};
}  // namespace

std::string_view to_string(Status s) {
    for (const auto& [status, name] : kStatusNames)
        if (status == s) return name;
    return "unknown";
}

std::optional<Status> status_from_string(std::string_view s) {
    for (const auto& [status, name] : kStatusNames)
        if (name == s) return status;
    return std::nullopt;
}

std::string_view status_names() {
    static const std::string names = [] {
        std::string out;
        for (const auto& [status, name] : kStatusNames) out += (out.empty() ? "" : ", ") + std::string(name);
        return out;
    }();
    return names;
}

std::string_view to_string(Action a) {
    switch (a) {
        case Action::Pay: return "pay";
        case Action::ShipPartly: return "ship part of";
        case Action::Ship: return "ship";
        case Action::Deliver: return "deliver";
        case Action::Cancel: return "cancel";
        case Action::Expire: return "expire";
    }
    return "unknown";
}

std::optional<Status> next_status(Status from, Action action) {
    for (const auto& t : kTransitions)
        if (t.from == from && t.action == action) return t.to;
    return std::nullopt;
}

}  // namespace shop::order
