#include "gateway/client_address.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

namespace shop::gateway {

std::optional<std::array<std::uint8_t, 16>> ClientAddress::parse(std::string_view s) {
    std::string text(s);
    std::array<std::uint8_t, 16> out{};
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        // IPv4 as ::ffff:a.b.c.d so one comparison serves both families.
        out[10] = 0xff;
        out[11] = 0xff;
        std::memcpy(out.data() + 12, &v4, 4);
        return out;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
        std::memcpy(out.data(), &v6, 16);
        return out;
    }
    return std::nullopt;
}

ClientAddress::ClientAddress(const std::vector<std::string>& trusted_proxies) {
    for (const auto& entry : trusted_proxies) {
        auto slash = entry.find('/');
        auto addr = parse(std::string_view(entry).substr(0, slash));
        if (!addr) throw std::invalid_argument("not an address or CIDR: " + entry);
        bool v4 = entry.find(':') == std::string::npos;
        int bits = 128;
        if (slash != std::string::npos) {
            try {
                bits = std::stoi(entry.substr(slash + 1));
            } catch (...) {
                throw std::invalid_argument("bad prefix length: " + entry);
            }
            if (bits < 0 || bits > (v4 ? 32 : 128)) throw std::invalid_argument("bad prefix length: " + entry);
            if (v4) bits += 96;
        }
        nets_.push_back({*addr, bits});
    }
}

std::string ClientAddress::limit_key(const std::string& addr) {
    in6_addr v6{};
    if (addr.find(':') == std::string::npos || inet_pton(AF_INET6, addr.c_str(), &v6) != 1) return addr;
    static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(&v6, kMapped, sizeof kMapped) == 0) return addr;  // IPv4 written as IPv6
    std::memset(reinterpret_cast<std::uint8_t*>(&v6) + 8, 0, 8);
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &v6, text, sizeof text);
    return std::string(text) + "/64";
}

bool ClientAddress::trusted(std::string_view addr_text) const {
    auto addr = parse(addr_text);
    if (!addr) return false;
    for (const auto& n : nets_) {
        int full = n.bits / 8, rest = n.bits % 8;
        if (std::memcmp(addr->data(), n.addr.data(), static_cast<std::size_t>(full)) != 0) continue;
        if (rest) {
            auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
            if (((*addr)[full] & mask) != (n.addr[full] & mask)) continue;
        }
        return true;
    }
    return false;
}

std::string ClientAddress::resolve(const std::string& peer, std::optional<std::string_view> forwarded_for) const {
    if (!forwarded_for || nets_.empty() || !trusted(peer)) return peer;
    std::string_view list = *forwarded_for;
    std::string candidate = peer;
    while (!list.empty()) {
        auto comma = list.rfind(',');
        std::string_view item = comma == std::string_view::npos ? list : list.substr(comma + 1);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (!parse(item)) break;  // garbage: stop at the last address we could trust
        candidate = std::string(item);
        if (!trusted(item)) break;
    }
    return candidate;
}

}  // namespace shop::gateway
