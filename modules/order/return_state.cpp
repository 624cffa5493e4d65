#include "return_state.hpp"

#include <array>
#include <utility>

namespace shop::order {

namespace {
constexpr std::array<std::pair<ReturnStatus, std::string_view>, 3> kStatusNames{{
    {ReturnStatus::Requested, "requested"},
    {ReturnStatus::Received, "received"},
    {ReturnStatus::Rejected, "rejected"},
}};

struct Transition {
    ReturnStatus from;
    ReturnAction action;
    ReturnStatus to;
};

constexpr std::array<Transition, 2> kTransitions{{
    {ReturnStatus::Requested, ReturnAction::Receive, ReturnStatus::Received},
    {ReturnStatus::Requested, ReturnAction::Reject, ReturnStatus::Rejected},
}};
}  // namespace

std::string_view to_string(ReturnStatus s) {
    for (const auto& [status, name] : kStatusNames)
        if (status == s) return name;
    return "unknown";
}

std::optional<ReturnStatus> return_status_from_string(std::string_view s) {
    for (const auto& [status, name] : kStatusNames)
        if (name == s) return status;
    return std::nullopt;
}

std::string_view to_string(ReturnAction a) {
    switch (a) {
        case ReturnAction::Receive: return "receive";
        case ReturnAction::Reject: return "reject";
    }
    return "unknown";
}

std::optional<ReturnStatus> next_return_status(ReturnStatus from, ReturnAction action) {
    for (const auto& t : kTransitions)
        if (t.from == from && t.action == action) return t.to;
    return std::nullopt;
}

}  // namespace shop::order
