#include "search_service.hpp"

#include <algorithm>
#include <map>

#include "highlight.hpp"
#include "shop/core/error.hpp"
#include "shop/core/log.hpp"
#include "shop/events/typed.hpp"

namespace shop::search {

using nlohmann::json;

void SearchService::apply_product_event(db::Tx& tx, const events::Event& e) {
    events::dispatch<events::ProductCreated, events::ProductUpdated, events::ProductArchived>(
        e, [&](const auto& product) { reindex(tx, product.product_id); });
}

void SearchService::reindex(db::Tx& tx, const std::string& product_id) {
    auto p = catalog_.product(tx, product_id);
    if (!p || !p->active()) {
        index_.remove(tx, product_id);
        return;
    }
    index_.put(tx, {p->id, p->name, p->description, p->category_id, p->price});
}

SearchPage SearchService::search(const SearchRequest& r) {
    return db_.read([&](db::Conn& c) {
        SearchQuery q;
        q.words = r.words;
        q.min_price = r.min_price;
        q.max_price = r.max_price;
        q.offset = r.offset;
        q.limit = r.limit;
        if (r.category) {
            q.categories = catalog_.category_subtree(c, *r.category);
            if (q.categories->empty()) throw Error::validation("category", "is not a known category id");
        }
        SearchPage page;
        if (q.words.empty()) return page;
        SearchResult res = index_.search(c, q);
        page.total = res.total;

        std::vector<std::string> ids;
        for (const auto& h : res.hits) ids.push_back(h.product_id);
        std::map<std::string, api::ProductInfo> products;
        for (auto& p : catalog_.products(c, ids)) products.emplace(p.id, std::move(p));
        for (const auto& h : res.hits) {
            auto it = products.find(h.product_id);
            if (it == products.end()) continue;  // cannot happen: the index follows the catalogue in its transaction
            json item = catalog_.to_json(it->second);
            item["score"] = h.score;
            const api::ProductInfo& p = it->second;
            item["highlight"] = h.marked ? json{{"name", highlight_html(h.name_highlight)},
                                                {"description", highlight_html(h.description_highlight)}}
                                         : json{{"name", highlight_html(index_.highlight(q.words, p.name))},
                                                {"description", highlight_html(index_.highlight(q.words, p.description))}};
            page.items.push_back(std::move(item));
        }
        if (static_cast<std::int64_t>(r.offset) + static_cast<std::int64_t>(res.hits.size()) < res.total &&
            !res.hits.empty())
            page.next_offset = r.offset + static_cast<int>(res.hits.size());

        // Facets: every match's own category, most matches first, then by name.
        std::map<std::string, std::string> names;
        if (!res.facets.empty())
            for (auto& cat : catalog_.categories(c)) names.emplace(cat.id, std::move(cat.name));
        auto name_of = [&](const std::string& id) {
            auto it = names.find(id);
            return it == names.end() ? std::string() : it->second;
        };
        std::vector<CategoryCount> facets;
        for (const auto& f : res.facets)
            if (f.category_id) facets.push_back(f);
        std::sort(facets.begin(), facets.end(), [&](const CategoryCount& a, const CategoryCount& b) {
            if (a.count != b.count) return a.count > b.count;
            return name_of(*a.category_id) < name_of(*b.category_id);
        });
        for (const auto& f : facets)
            page.facets.push_back({{"value", *f.category_id}, {"name", name_of(*f.category_id)}, {"count", f.count}});
        return page;
    });
}

std::vector<std::string> SearchService::suggest(const std::vector<std::string>& words, int limit) {
    if (words.empty()) return {};
    return db_.read([&](db::Conn& c) { return index_.suggest(c, words, limit); });
}

}  // namespace shop::search
