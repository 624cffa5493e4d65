#pragma once
// The user module's domain events. Each struct is the whole contract of its event: the
// fields its `data` carries (docs/events.md), defined once in src/events/user_events.cpp.
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace shop::events {

struct UserRegistered {
    static constexpr std::string_view kType = "user.registered";
    std::string user_id;
    bool operator==(const UserRegistered&) const = default;
};

struct UserRoleChanged {
    static constexpr std::string_view kType = "user.role_changed";
    std::string user_id;
    std::string role;  // the new role: "customer" or "admin"
    bool operator==(const UserRoleChanged&) const = default;
};

void to_json(nlohmann::json& j, const UserRegistered& e);
void from_json(const nlohmann::json& j, UserRegistered& e);
void to_json(nlohmann::json& j, const UserRoleChanged& e);
void from_json(const nlohmann::json& j, UserRoleChanged& e);

}  // namespace shop::events
