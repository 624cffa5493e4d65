#include "order_state.hpp"

#include <array>
#include <utility>

namespace shop::order {

namespace {
constexpr std::array<std::pair<Status, std::string_view>, 6> kStatusNames{{
    {Status::PendingPayment, "pending_payment"},
    {Status::Paid, "paid"},
    {Status::Shipped, "shipped"},
    {Status::Delivered, "delivered"},
    {Status::Cancelled, "cancelled"},
    {Status::Expired, "expired"},
}};

struct Transition {
    Status from;
    Action action;
    Status to;
};

constexpr std::array<Transition, 6> kTransitions{{
    {Status::PendingPayment, Action::Pay, Status::Paid},
    {Status::PendingPayment, Action::Cancel, Status::Cancelled},
    {Status::PendingPayment, Action::Expire, Status::Expired},
    {Status::Paid, Action::Ship, Status::Shipped},
    {Status::Paid, Action::Cancel, Status::Cancelled},
    {Status::Shipped, Action::Deliver, Status::Delivered},
}};
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

std::string_view to_string(Action a) {
    switch (a) {
        case Action::Pay: return "pay";
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
