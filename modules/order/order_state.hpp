#pragma once
// The order state machine of API.md section 5, as a table:
//   pending_payment -> paid -> shipped -> delivered
//   pending_payment -> cancelled | expired
//   paid -> cancelled (with a full refund)
// Anything else is 409 invalid_transition.
#include <optional>
#include <string_view>

namespace shop::order {

enum class Status { PendingPayment, Paid, Shipped, Delivered, Cancelled, Expired };
enum class Action { Pay, Ship, Deliver, Cancel, Expire };

std::string_view to_string(Status s);
std::optional<Status> status_from_string(std::string_view s);
std::string_view to_string(Action a);

// The state `action` leads to from `from`, or nullopt when the contract forbids it.
std::optional<Status> next_status(Status from, Action action);

}  // namespace shop::order
