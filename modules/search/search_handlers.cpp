#include "query_terms.hpp"
#include "search_module.hpp"
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
    if (!page.after) return 0;
    const json& a = *page.after;
    if (!a.is_object() || !a.contains("o") || !a["o"].is_number_integer() || a["o"].get<std::int64_t>() < 0 ||
        a["o"].get<std::int64_t>() > 1'000'000)
        throw Error::validation("cursor", "is not a cursor this server issued");
    return a["o"].get<int>();
}

}  // namespace

void SearchModule::routes(http::Routes& r) {
    const http::Policy anyone{http::Auth::Public};

    r.get("/api/v1/search", anyone, [this](Context& ctx) {
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
        json next = result.next_offset ? json(http::encode_cursor({{"o", *result.next_offset}})) : json(nullptr);
        return Response::json({{"items", std::move(result.items)},
                               {"facets", {{"category", std::move(result.facets)}}},
                               {"total", result.total},
                               {"next_cursor", std::move(next)}});
    });

    r.get("/api/v1/search/suggest", anyone, [this](Context& ctx) {
        auto words = words_of(ctx.request());
        auto limit = http::query_integer(ctx.request(), "limit", {.min = 1, .max = kMaxSuggestions});
        const int n = static_cast<int>(limit.value_or(kMaxSuggestions));
        return Response::json({{"suggestions", search_.suggest(words, n)}});
    });
}

}  // namespace shop::search
