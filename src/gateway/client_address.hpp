#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shop::gateway {

// Decides which address a request came from. A peer listed in trusted_proxies (exact
// address or CIDR) may name the client in X-Forwarded-For; we take the right-most entry
// that is not itself a trusted proxy, because entries further left are client-supplied.
class ClientAddress {
public:
    // Throws std::invalid_argument naming the bad entry.
    explicit ClientAddress(const std::vector<std::string>& trusted_proxies);
    std::string resolve(const std::string& peer, std::optional<std::string_view> forwarded_for) const;
    bool trusted(std::string_view addr) const;
    // What per-address limits count by: an IPv4 address as it is, an IPv6 address as its
    // /64 ("2001:db8:1:2::/64"), since one subscriber gets a whole /64 to pick from.
    static std::string limit_key(const std::string& addr);

private:
    struct Net {
        std::array<std::uint8_t, 16> addr{};
        int bits = 0;
    };
    static std::optional<std::array<std::uint8_t, 16>> parse(std::string_view s);
    std::vector<Net> nets_;
};

}  // namespace shop::gateway
