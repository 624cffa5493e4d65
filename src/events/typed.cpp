#include "shop/events/typed.hpp"

#include "shop/core/log.hpp"

namespace shop::events::detail {

void warn_skipped(const Event& e, std::string_view why) {
    log::warn("event {} ({}) skipped: {}", e.id(), e.type, why);
}

}  // namespace shop::events::detail
