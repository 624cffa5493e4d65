#include "shop/events/user_events.hpp"

#include "events/json_fields.hpp"

namespace shop::events {

using nlohmann::json;
using namespace fields;

void to_json(json& j, const UserRegistered& e) {
    j = {{"user_id", e.user_id}};
}
void from_json(const json& j, UserRegistered& e) {
    e.user_id = text(j, "user_id");
}

void to_json(json& j, const UserRoleChanged& e) {
    j = {{"user_id", e.user_id}, {"role", e.role}};
}
void from_json(const json& j, UserRoleChanged& e) {
    e.user_id = text(j, "user_id");
    e.role = text(j, "role");
}

}  // namespace shop::events
