#pragma once
// Where a webhook may be sent (API.md section 12): an http(s) URL whose host is a public
// address. Loopback, private, shared (CGNAT), link-local, multicast, unspecified, reserved
// and broadcast addresses are refused, in IPv4, IPv6 and the IPv6 forms that carry an IPv4
// address (v4-mapped, v4-compatible, NAT64, 6to4). The check runs when an endpoint is saved
// and again on the address each delivery actually connects to, so a name that later
// resolves elsewhere (DNS rebinding) cannot reach a private address.
#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace shop::analytics {

// True when a delivery may connect to this address (AF_INET or AF_INET6; others: false).
bool public_address(const sockaddr* addr);
// The same for an address literal ("10.0.0.1", "::ffff:127.0.0.1"); false when it is not one.
bool public_address(std::string_view literal);

// Why the URL may not receive webhooks: "validation" (not an absolute http(s) URL of at
// most 2048 bytes), "private" (its host is or resolves to a refused address); nullopt
// when it may. allow_private skips the address rule. A name that does not resolve now is
// accepted: every delivery checks the address it connects to.
struct UrlProblem {
    bool not_allowed = false;  // true: url_not_allowed; false: validation_failed
    std::string message;
};
std::optional<UrlProblem> check_webhook_url(const std::string& url, bool allow_private);

}  // namespace shop::analytics
