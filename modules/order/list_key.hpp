#pragma once
// Where a page of a list resumes: after the last row shown, by creation (created_at, then
// id). Checkout settings list oldest first; orders and returns newest first.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shop/db/value.hpp"

namespace shop::order {

struct ListKey {
    std::int64_t created_at_ms = 0;
    std::string id;
};

// Appends to a query whose WHERE clause is open the rest of a newest-first page: the rows
// before `after`, in order, at most `limit`.
inline void newest_first_page(std::string& sql, std::vector<db::Value>& params, const std::optional<ListKey>& after,
                              int limit) {
    if (after) {
        sql += " AND (created_at < ? OR (created_at = ? AND id < ?))";
        params.emplace_back(after->created_at_ms);
        params.emplace_back(after->created_at_ms);
        params.emplace_back(after->id);
    }
    sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
    params.emplace_back(static_cast<std::int64_t>(limit));
}

}  // namespace shop::order
