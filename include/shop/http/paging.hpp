#pragma once
// Cursor pagination as the contract has it: ?limit= (default 20, capped at 100) and an
// opaque ?cursor=. A cursor is the keyset position after the last item of a page
// (base64url of a small JSON value), so pages stay stable while rows are inserted.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
// The same page as text, from items already written as JSON text: a page of large items
// with a writer of their own (products with their variants) skips building the tree.
std::string page_body_text(const std::vector<std::string>& items, const std::optional<nlohmann::json>& next_position);

// The two positions lists use. A cursor that is not the one asked for is 422
// validation_failed ("cursor": "is not a cursor this server issued").
//   Keyset: after the last item of a list ordered by (created_at, id): {"t": ms, "id": id}.
//   Number: after a sequence number or an offset: {"n": n}.
struct Keyset {
    std::int64_t at = 0;
    std::string id;
};
std::optional<Keyset> keyset_after(const Page& page);
nlohmann::json keyset_position(const Keyset& k);
std::optional<std::int64_t> number_after(const Page& page);
nlohmann::json number_position(std::int64_t n);

// One page from rows fetched with limit + 1: the extra row only says there is a next page,
// whose cursor is position_of(the last row kept). render(row) gives an item's JSON.
template <class Row, class PositionOf, class Render>
nlohmann::json page_of(std::vector<Row> rows, int limit, PositionOf position_of, Render render) {
    std::optional<nlohmann::json> next;
    if (rows.size() > static_cast<std::size_t>(limit)) {
        rows.resize(static_cast<std::size_t>(limit));
        next = position_of(rows.back());
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : rows) items.push_back(render(r));
    return page_body(std::move(items), next);
}

}  // namespace shop::http
