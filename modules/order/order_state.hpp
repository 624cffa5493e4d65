#pragma once
// The order state machine of API.md sections 5 and 11, as one table (order_state.cpp):
//   pending_payment -> paid -> shipped -> delivered
//   paid -> partially_shipped -> ... -> shipped   (shipments that leave units unshipped)
//   pending_payment -> cancelled | expired
//   paid -> cancelled (with a full refund)
// Anything else is 409 invalid_transition.
#include <optional>
#include <string_view>

namespace shop::order {

enum class Status { PendingPayment, Paid, PartiallyShipped, Shipped, Delivered, Cancelled, Expired };

// A shipment is one of two actions, told apart by what it leaves: ShipPartly leaves units of
// the order unshipped, Ship takes every unit left (POST /orders/{id}/ship always does).
// Both are allowed from the same states, so "can this order take a shipment" is
// next_status(s, Action::Ship).
enum class Action { Pay, ShipPartly, Ship, Deliver, Cancel, Expire };

std::string_view to_string(Status s);
std::optional<Status> status_from_string(std::string_view s);
std::string_view to_string(Action a);
// "pending_payment, paid, ...": every status, for messages that list them.
std::string_view status_names();

// The state `action` leads to from `from`, or nullopt when the contract forbids it.
std::optional<Status> next_status(Status from, Action action);

}  // namespace shop::order
