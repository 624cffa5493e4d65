#pragma once
// Where a page of a checkout settings list (zones, tax rates, discounts) resumes: after the
// last row shown, in creation order (created_at, then id).
#include <cstdint>
#include <string>

namespace shop::order {

struct ListKey {
    std::int64_t created_at_ms = 0;
    std::string id;
};

}  // namespace shop::order
