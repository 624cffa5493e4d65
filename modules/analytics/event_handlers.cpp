#include <charconv>

#include "analytics_handlers.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"
#include "shop/http/paging.hpp"

namespace shop::analytics {

using http::Context;
using http::Response;
using nlohmann::json;

namespace {

// "evt_42" -> 42; nullopt for anything else.
std::optional<std::int64_t> seq_of(std::string_view id) {
    constexpr std::string_view kPrefix = "evt_";
    if (!id.starts_with(kPrefix) || id.size() == kPrefix.size() || id.size() > kPrefix.size() + 18) return std::nullopt;
    std::int64_t seq = 0;
    auto digits = id.substr(kPrefix.size());
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
    if (ec != std::errc() || end != digits.data() + digits.size() || seq < 0) return std::nullopt;
    return seq;
}

}  // namespace

json event_json(const events::Event& e) {
    return {{"id", e.id()}, {"type", e.type}, {"created_at", core::format_rfc3339(e.created_at_ms)}, {"data", e.data}};
}

Response EventHandlers::list(Context& ctx) {
    const http::Request& req = ctx.request();
    http::Page page = http::parse_page(req);
    std::int64_t after = 0;
    if (auto a = req.query("after"); a && !a->empty()) {
        auto seq = seq_of(*a);
        if (!seq) throw Error::validation("after", "must be an event id such as evt_42");
        after = *seq;
    }
    // Given both, the later position wins.
    if (auto cursor = http::number_after(page)) after = std::max(after, *cursor);
    std::optional<std::string> type;
    if (auto t = req.query("type"); t && !t->empty()) {
        if (t->size() > 100) throw Error::validation("type", "must be at most 100 characters");
        type = *t;
    }
    return Response::json(http::page_of(
        events_.list(after, type, page.limit + 1), page.limit,
        [](const events::Event& e) { return http::number_position(e.seq); }, event_json));
}

}  // namespace shop::analytics
