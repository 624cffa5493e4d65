#include "search_service.hpp"

#include <algorithm>
#include <map>

#include "highlight.hpp"
#include "shop/core/error.hpp"
#include "shop/core/log.hpp"
#include "shop/events/typed.hpp"

namespace shop::search {

using nlohmann::json;

namespace {

// The document of an active product. Only active variants count: an archived variant's
// sku and values find nothing and count in no facet. Each option value is written once,
// however many variants share it, so a value shared by many variants weighs no more.
IndexedProduct document_of(const api::ProductInfo& p) {
    IndexedProduct d;
    d.product_id = p.id;
    d.name = p.name;
    d.description = p.description;
    d.category_id = p.category_id;
    d.price = p.price;
    d.price_max = std::max(p.price, p.price_max);  // never below price, even if left unset (0)
    std::vector<std::string> skus;
    for (const auto& v : p.variants) {
        if (!v.active()) continue;
        skus.push_back(v.sku);
        for (auto it = v.options.begin(); it != v.options.end(); ++it) {
            if (!it.value().is_string()) continue;
            OptionValue o{it.key(), it.value().get<std::string>()};
            if (std::find(d.options.begin(), d.options.end(), o) == d.options.end()) d.options.push_back(std::move(o));
        }
    }
    for (const auto& o : d.options) d.variants += o.value + ' ';
    for (const auto& sku : skus) d.variants += sku + ' ';
    return d;
}

}  // namespace

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
    index_.put(tx, document_of(*p));
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

        std::vector<api::CategoryInfo> categories;
        if (!res.categories.empty()) categories = catalog_.categories(c);  // for the facet's names
        page.facets = facets_json(res, categories);
        return page;
    });
}

std::vector<std::string> SearchService::suggest(const std::vector<std::string>& words, int limit) {
    if (words.empty()) return {};
    return db_.read([&](db::Conn& c) { return index_.suggest(c, words, limit); });
}

}  // namespace shop::search
