#pragma once
// E-mail addresses as the shop takes them: accounts (user module) and guest checkout
// (order module) must agree on what one address is.
#include <cstddef>
#include <string>
#include <string_view>

namespace shop::core {

constexpr std::size_t kEmailMax = 254;  // RFC 5321's limit on a forward path

// Trimmed and lower-cased (ASCII), so "  Ann@Example.COM " and "ann@example.com" are one
// buyer.
std::string normalize_email(std::string_view email);
// A deliberately plain check of a normalised address: local@domain, a dotted domain of
// letters, digits and hyphens, no spaces or control characters.
bool valid_email(std::string_view normalized);

}  // namespace shop::core
