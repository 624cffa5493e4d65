#include "gateway/ops.hpp"

#include <nlohmann/json.hpp>

#include <memory>

#include "shop/core/error.hpp"
#include "shop/version.hpp"

namespace shop::gateway {

extern const std::string_view kOpenapiCore;  // openapi_core.json, embedded at build time

using http::Response;
using nlohmann::json;

namespace {
// Compares without stopping at the first difference, so timing does not leak the token.
bool same_secret(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}
}  // namespace

void add_ops_routes(Gateway& gw, core::Metrics& metrics, db::Database& db, std::string openapi_json,
                    std::string metrics_token) {
    const http::Policy loop{http::Auth::Public, http::RateClass::Unlimited, http::RunOn::Loop};
    const http::Policy worker{http::Auth::Public, http::RateClass::Unlimited, http::RunOn::Worker};

    gw.get("/healthz", loop, [](http::Context&) { return Response::json({{"status", "ok"}}); });

    gw.get("/readyz", worker, [&gw, &db](http::Context&) {
        switch (gw.state()) {
            case State::Starting: return Response::json(503, {{"status", "starting"}});
            case State::Draining: return Response::json(503, {{"status", "draining"}});
            case State::Ready: break;
        }
        if (!db.healthy()) return Response::json(503, {{"status", "database_unavailable"}});
        return Response::json({{"status", "ready"}});
    });

    gw.get("/metrics", loop, [&metrics, token = std::move(metrics_token)](http::Context& ctx) {
        if (!token.empty()) {
            auto auth = ctx.request().header("Authorization");
            if (!auth || !same_secret(*auth, "Bearer " + token))
                throw Error::unauthorized("/metrics needs the metrics token (SHOPD_METRICS_TOKEN) as a bearer token");
        }
        return Response::text(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
    });

    auto doc = std::make_shared<const std::string>(std::move(openapi_json));
    gw.get("/api/v1/openapi.json", loop, [doc](http::Context&) {
        Response r;
        r.body = *doc;
        r.set_header("Content-Type", "application/json");
        return r;
    });
}

std::string assemble_openapi(const std::vector<std::string_view>& fragments) {
    json doc = json::parse(kOpenapiCore);
    doc["info"]["version"] = std::string(kVersion);
    for (auto frag : fragments) {
        if (frag.empty()) continue;
        const json part = json::parse(frag);
        const json paths = part.value("paths", json::object());
        const json components = part.value("components", json::object());
        for (const auto& [path, item] : paths.items())
            for (const auto& [method, op] : item.items()) doc["paths"][path][method] = op;
        for (const auto& [kind, entries] : components.items())
            for (const auto& [name, value] : entries.items()) doc["components"][kind][name] = value;
    }
    return doc.dump(2);
}

}  // namespace shop::gateway
