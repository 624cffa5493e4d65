#pragma once
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "shop/http/request.hpp"

namespace shop::http {

struct Response {
    int status = 200;
    Headers headers;
    std::string body;

    void set_header(std::string name, std::string value);
    std::optional<std::string_view> header(std::string_view name) const;

    static Response json(int status, const nlohmann::json& body);
    static Response json(const nlohmann::json& body) { return json(200, body); }
    static Response no_content();
    static Response text(int status, std::string body, std::string content_type);
};

}  // namespace shop::http
