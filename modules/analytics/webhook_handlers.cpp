#include "webhook_handlers.hpp"

#include <charconv>
#include <set>

#include "shop/core/error.hpp"
#include "shop/core/time.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::analytics {

using http::Context;
using http::Response;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxEventTypes = 100;
constexpr std::string_view kDeliveryPrefix = "whd_";

json endpoint_json(const WebhookEndpoint& e) {
    return {{"id", e.id},
            {"url", e.url},
            {"events", e.events},
            {"description", e.description ? json(*e.description) : json(nullptr)},
            {"enabled", e.enabled},
            {"created_at", core::format_rfc3339(e.created_at_ms)},
            {"updated_at", core::format_rfc3339(e.updated_at_ms)}};
}

json delivery_json(const core::JobView& j) {
    const json event = json::parse(j.payload, nullptr, false);
    auto field = [&](const char* name) {
        return event.is_object() && event.contains(name) && event[name].is_string() ? event[name] : json(nullptr);
    };
    const char* status = j.status == core::JobStatus::Done     ? "delivered"
                         : j.status == core::JobStatus::Failed ? "failed"
                                                               : "pending";
    return {{"id", std::string(kDeliveryPrefix) + std::to_string(j.id)},
            {"endpoint_id", j.scope},
            {"event_id", field("id")},
            {"type", field("type")},
            {"status", status},
            {"attempts", j.attempts},
            {"last_status_code", j.last_code ? json(*j.last_code) : json(nullptr)},
            {"last_error", j.last_error ? json(*j.last_error) : json(nullptr)},
            {"next_attempt_at",
             j.status == core::JobStatus::Pending ? json(core::format_rfc3339(j.due_at_ms)) : json(nullptr)},
            {"delivered_at", j.done_at_ms ? json(core::format_rfc3339(*j.done_at_ms)) : json(nullptr)},
            {"created_at", core::format_rfc3339(j.created_at_ms)}};
}

// "whd_42" -> 42; nullopt otherwise (then 404: no such delivery).
std::optional<std::int64_t> delivery_id(std::string_view id) {
    if (!id.starts_with(kDeliveryPrefix) || id.size() == kDeliveryPrefix.size() || id.size() > kDeliveryPrefix.size() + 18)
        return std::nullopt;
    std::int64_t n = 0;
    auto digits = id.substr(kDeliveryPrefix.size());
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size() || n <= 0) return std::nullopt;
    return n;
}

// `events`: a non-empty list of known types, or ["*"]; duplicates kept once, "*" alone.
std::optional<std::vector<std::string>> event_types(http::Fields& f, const json& body) {
    auto list = f.opt_array("events");
    if (!list) return std::nullopt;
    if (list->empty() || list->size() > kMaxEventTypes) {
        f.error("events", "must list 1 to 100 event types, or be [\"*\"]");
        return std::nullopt;
    }
    std::vector<std::string> out;
    std::set<std::string> seen;
    bool ok = true;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& t = (*list)[i];
        if (!t.is_string() || !WebhookService::known_type(t.get<std::string>())) {
            f.error("events[" + std::to_string(i) + "]",
                    "unknown event type " + t.dump() + "; see docs/events.md, or [\"*\"] for every type");
            ok = false;
            continue;
        }
        if (seen.insert(t.get<std::string>()).second) out.push_back(t.get<std::string>());
    }
    (void)body;
    if (!ok) return std::nullopt;
    if (seen.count("*")) return std::vector<std::string>{"*"};
    return out;
}

}  // namespace

Response WebhookHandlers::create(Context& ctx) {
    const json body = ctx.json_body();
    http::Fields f(body);
    f.only({"url", "events", "description"});
    auto url = f.string("url", {.min = 1, .max = 2048});
    if (!f.has("events")) f.error("events", "is required");
    auto events = event_types(f, body);
    auto description = f.opt_string("description", {.max = 500});
    f.done();
    WebhookEndpoint ep = webhooks_.create(url, std::move(*events), std::move(description));
    json out = endpoint_json(ep);
    out["secret"] = ep.secret;  // shown this once
    Response r = Response::json(201, out);
    r.set_header("Location", "/api/v1/webhook-endpoints/" + ep.id);
    return r;
}

Response WebhookHandlers::list(Context& ctx) {
    http::Page page = http::parse_page(ctx.request());
    auto after = http::keyset_after(page);
    auto rows = webhooks_.list(after ? std::optional<std::int64_t>(after->at) : std::nullopt,
                               after ? after->id : std::string(), page.limit + 1);
    return Response::json(http::page_of(
        std::move(rows), page.limit,
        [](const WebhookEndpoint& e) { return http::keyset_position({e.created_at_ms, e.id}); }, endpoint_json));
}

Response WebhookHandlers::get(Context& ctx) { return Response::json(endpoint_json(webhooks_.get(ctx.param("id")))); }

Response WebhookHandlers::update(Context& ctx) {
    const json body = ctx.json_body();
    http::Fields f(body);
    f.only({"url", "events", "description", "enabled"});
    for (const char* n : {"url", "events", "enabled"})
        if (body.contains(n) && body[n].is_null()) f.error(n, "must not be null");
    EndpointChange change;
    change.url = f.opt_string("url", {.min = 1, .max = 2048});
    change.events = event_types(f, body);
    if (body.contains("description")) change.description = f.opt_string("description", {.max = 500});
    change.enabled = f.opt_boolean("enabled");
    f.done();
    return Response::json(endpoint_json(webhooks_.update(ctx.param("id"), change)));
}

Response WebhookHandlers::remove(Context& ctx) {
    webhooks_.remove(ctx.param("id"));
    return Response::no_content();
}

Response WebhookHandlers::deliveries(Context& ctx) {
    http::Page page = http::parse_page(ctx.request());
    const std::int64_t before = http::number_after(page).value_or(0);
    auto rows = webhooks_.deliveries(ctx.param("id"), before, page.limit + 1);
    return Response::json(http::page_of(
        std::move(rows), page.limit, [](const core::JobView& j) { return http::number_position(j.id); },
        delivery_json));
}

Response WebhookHandlers::retry(Context& ctx) {
    auto id = delivery_id(ctx.param("delivery_id"));
    if (!id) throw Error::not_found("no such delivery");
    return Response::json(202, delivery_json(webhooks_.retry(ctx.param("id"), *id)));
}

}  // namespace shop::analytics
