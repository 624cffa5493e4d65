#include "shop/http/response.hpp"

#include <nlohmann/json.hpp>

namespace shop::http {

void Response::set_header(std::string name, std::string value) {
    for (auto& [k, v] : headers) {
        if (iequals(k, name)) {
            v = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Response::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

Response Response::json(int status, const nlohmann::json& body) {
    Response r;
    r.status = status;
    // Invalid UTF-8 that slipped into stored data is replaced rather than thrown on.
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    r.headers.emplace_back("Content-Type", "application/json");
    return r;
}

Response Response::no_content() {
    Response r;
    r.status = 204;
    return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers.emplace_back("Content-Type", std::move(content_type));
    return r;
}

}  // namespace shop::http
