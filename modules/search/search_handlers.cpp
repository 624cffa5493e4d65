#include "query_terms.hpp"
#include "search_handlers.hpp"
#include "shop/core/error.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::search {

using http::Context;
using http::Response;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxQueryBytes = 500;
constexpr int kMaxSuggestions = 10;

// q is required (a missing q is 422); an empty or all-punctuation q has no words and
// finds nothing.
std::vector<std::string> words_of(const http::Request& req) {
    auto q = req.query_free_text("q");
    if (!q) throw Error::validation("q", "is required");
    if (q->size() > kMaxQueryBytes)
        throw Error::validation("q", "must be at most " + std::to_string(kMaxQueryBytes) + " bytes");
    auto words = query_words(*q);
    if (!words) throw Error::validation("q", "must be valid UTF-8");
    return *words;
}

// The search cursor is the offset of the next page in the ranked list.
int offset_of(const http::Page& page) {
    std::int64_t offset = http::number_after(page).value_or(0);
    if (offset > 1'000'000) throw Error::validation("cursor", "is not a cursor this server issued");
    return static_cast<int>(offset);
}

}  // namespace

Response SearchHandlers::search(Context& ctx) {
    const http::Request& req = ctx.request();
    SearchRequest s;
    s.words = words_of(req);
    http::Page page = http::parse_page(req);
    s.limit = page.limit;
    s.offset = offset_of(page);
    if (auto c = req.query("category"); c && !c->empty()) s.category = *c;
    s.min_price = http::query_integer(req, "min_price", {.min = 0});
    s.max_price = http::query_integer(req, "max_price", {.min = 0});
    if (s.min_price && s.max_price && *s.min_price > *s.max_price)
        throw Error::validation("max_price", "must not be below min_price");

    SearchPage result = search_.search(s);
    json next =
        result.next_offset ? json(http::encode_cursor(http::number_position(*result.next_offset))) : json(nullptr);
    return Response::json({{"items", std::move(result.items)},
                           {"facets", std::move(result.facets)},
                           {"total", result.total},
                           {"next_cursor", std::move(next)}});
}

Response SearchHandlers::suggest(Context& ctx) {
    auto words = words_of(ctx.request());
    auto limit = http::query_integer(ctx.request(), "limit", {.min = 1, .max = kMaxSuggestions});
    const int n = static_cast<int>(limit.value_or(kMaxSuggestions));
    return Response::json({{"suggestions", search_.suggest(words, n)}});
}

}  // namespace shop::search
