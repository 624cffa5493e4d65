#pragma once
// The return state machine of API.md section 11, as a table:
//   requested -> received   (admin: the goods came back; refunded, restocked if asked)
//   requested -> rejected   (admin: refused; nothing refunded)
// Anything else is 409 invalid_transition, except receiving a return that is already
// received, which the service answers with the return as it is (a retry refunds nothing).
#include <optional>
#include <string_view>

namespace shop::order {

enum class ReturnStatus { Requested, Received, Rejected };
enum class ReturnAction { Receive, Reject };

std::string_view to_string(ReturnStatus s);
std::optional<ReturnStatus> return_status_from_string(std::string_view s);
std::string_view to_string(ReturnAction a);

// The state `action` leads to from `from`, or nullopt when the contract forbids it.
std::optional<ReturnStatus> next_return_status(ReturnStatus from, ReturnAction action);

}  // namespace shop::order
