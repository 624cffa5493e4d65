#pragma once
// The secrets the shipped deployment files hold until someone replaces them. Start-up
// refuses one in any secret setting (settings.cpp) and as the password of a postgres://
// database URL (config.cpp).
#include <string_view>

namespace shop::core {

// "replace-me…" (deploy/k8s) or "change-me-please" (docker-compose.yml).
bool is_placeholder_secret(std::string_view value);

}  // namespace shop::core
