#pragma once
// Cursor pagination as the contract has it: ?limit= (default 20, capped at 100) and an
// opaque ?cursor=. A cursor is the keyset position after the last item of a page
// (base64url of a small JSON value), so pages stay stable while rows are inserted.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "shop/http/request.hpp"

namespace shop::http {

struct Page {
    int limit = 20;
    std::optional<nlohmann::json> after;  // decoded cursor, nullopt on the first page
};

// 422 validation_failed for a limit that is not a positive integer or a cursor that does
// not decode; a limit above 100 is capped at 100.
Page parse_page(const Request& req);

std::string encode_cursor(const nlohmann::json& position);
std::optional<nlohmann::json> decode_cursor(const std::string& cursor);

// {"items": items, "next_cursor": cursor or null}
nlohmann::json page_body(nlohmann::json items, const std::optional<nlohmann::json>& next_position);

}  // namespace shop::http
