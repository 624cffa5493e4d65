#pragma once
// The webhook settings (docs/configuration.md, section `webhooks`).
#include <cstdint>

#include "shop/core/settings.hpp"

namespace shop::analytics {

struct WebhookSettings {
    std::int64_t retry_base_ms = 60000;  // attempt n failed: next one after base * 2^(n-1)
    int max_attempts = 10;
    std::int64_t timeout_ms = 10000;     // a whole attempt, connecting included
    bool allow_private = false;          // true: loopback and private receivers are allowed
};

WebhookSettings read_webhook_settings(core::Settings& settings);

}  // namespace shop::analytics
