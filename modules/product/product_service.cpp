#include "product_service.hpp"

#include <fmt/format.h>

#include "conditional.hpp"
#include "created_events.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"
#include "shop/db/errors.hpp"
#include "shop/core/error.hpp"

namespace shop::product {

namespace {

using nlohmann::json;

constexpr std::pair<Sort, std::string_view> kSorts[] = {
    {Sort::PriceAsc, "price"},        {Sort::PriceDesc, "-price"},        {Sort::NameAsc, "name"},
    {Sort::CreatedAsc, "created_at"}, {Sort::CreatedDesc, "-created_at"},
};

Error sku_taken(const std::string& sku) {
    return Error("sku_taken", fmt::format("another product already has the sku '{}'", sku));
}

Error stale(std::int64_t version) {
    Error e("precondition_failed", "the product has changed; fetch it again and retry with its ETag");
    e.with_current_tag(etag_for(version));
    return e;
}

// Cursors name their sort, so a cursor from one ordering is refused by another instead of
// silently skipping or repeating rows.
json cursor_after(const ListedProduct& last, Sort sort) {
    json value;
    switch (sort) {
        case Sort::PriceAsc:
        case Sort::PriceDesc:
            value = last.product.price;
            break;
        case Sort::NameAsc:
            value = last.product.name;
            break;
        case Sort::CreatedAsc:
        case Sort::CreatedDesc:
            value = last.product.created_at_ms;
            break;
    }
    return {{"s", to_string(sort)}, {"v", std::move(value)}, {"k", last.seq}};
}

Position position_from_cursor(const json& c, Sort sort) {
    auto bad = [] { return Error::validation("cursor", "is not a cursor of this listing and sort"); };
    if (!c.is_object() || !c.contains("s") || !c.contains("v") || !c.contains("k")) throw bad();
    if (!c["s"].is_string() || c["s"].get<std::string>() != to_string(sort)) throw bad();
    if (!c["k"].is_number_integer()) throw bad();
    Position p;
    p.seq = c["k"].get<std::int64_t>();
    if (sort == Sort::NameAsc) {
        if (!c["v"].is_string()) throw bad();
        p.value = c["v"].get<std::string>();
    } else {
        if (!c["v"].is_number_integer()) throw bad();
        p.value = c["v"].get<std::int64_t>();
    }
    return p;
}

template <class T, class U>
void set_if_changed(T& field, const U& value, const char* name, std::vector<std::string>& changed) {
    if (field == value) return;
    field = value;
    changed.emplace_back(name);
}

}  // namespace

std::optional<Sort> sort_from_string(std::string_view s) {
    for (const auto& [sort, name] : kSorts)
        if (name == s) return sort;
    return std::nullopt;
}

std::string_view to_string(Sort s) {
    for (const auto& [sort, name] : kSorts)
        if (sort == s) return name;
    return "-created_at";
}

void ProductService::check_currency(const std::optional<std::string>& currency) const {
    if (currency && *currency != currency_)
        throw Error::validation("currency", fmt::format("must be the shop's currency, {}", currency_));
}

void ProductService::check_category(db::Conn& c, const std::optional<std::string>& category_id, const char* field) {
    if (category_id && !categories_.exists(c, *category_id))
        throw Error::validation(field, "is not a known category id");
}

ProductInfo ProductService::create(const NewProduct& in) {
    check_currency(in.currency);
    std::vector<FieldError> errors;
    check_options(in.options, errors);
    if (errors.empty() && !in.options.empty()) check_variants(in.options, in.variants, errors);
    if (in.options.empty() && !in.variants.empty())
        errors.push_back({"variants", "are made from options: give options too, or leave variants out"});
    if (!errors.empty()) throw Error::validation(std::move(errors));

    ProductInfo p = build(in);
    // A copy each time: a server database may run the transaction again (serialization).
    return db_.write([&](db::Tx& tx) { return insert(tx, p); });
}

ProductInfo ProductService::insert(db::Tx& tx, ProductInfo p) {
    check_category(tx, p.category_id, "category_id");
    if (products_.sku_used_by_other(tx, p.sku, p.id)) throw sku_taken(p.sku);
    for (const auto& v : p.variants)
        if (v.id != p.id && variants_.sku_taken(tx, v.sku, p.id, v.id)) throw sku_taken(v.sku);
    try {
        products_.insert(tx, p);
        for (const auto& v : p.variants) variants_.insert(tx, v, p.created_at_ms);
    } catch (const db::ConstraintError&) {
        // Another process took a sku between the check and the insert.
        throw Error("sku_taken", "another product took one of these skus meanwhile");
    }
    tx.emit(product_created(p));
    return p;
}

ProductInfo ProductService::build(const NewProduct& in) const {
    ProductInfo p;
    p.id = core::new_id("prod");
    p.sku = in.sku;
    p.name = in.name;
    p.description = in.description;
    p.currency = currency_;
    p.category_id = in.category_id;
    p.attributes = in.attributes;
    p.images = in.images;
    p.options = in.options;
    p.status = "active";
    p.version = 1;
    p.created_at_ms = p.updated_at_ms = core::now_ms();
    if (in.options.empty()) {
        // The one variant of a plain product carries the product's id, sku, price and stock.
        p.variants.push_back({p.id, p.id, in.sku, nlohmann::json::object(), in.price, in.stock, "active"});
    } else {
        for (const auto& v : in.variants)
            p.variants.push_back({core::new_id("var"), p.id, v.sku, v.options, v.price, v.stock, "active"});
    }
    p.price = p.price_max = p.variants.front().price;
    for (const auto& v : p.variants) {
        p.price = std::min(p.price, v.price);
        p.price_max = std::max(p.price_max, v.price);
        p.stock += v.stock;
    }
    return p;
}

std::optional<ProductInfo> ProductService::find(std::string_view id) {
    return db_.read([&](db::Conn& c) { return products_.find(c, id); });
}

ProductPage ProductService::list(const ProductQuery& q) {
    std::optional<Position> after;
    if (q.after) after = position_from_cursor(*q.after, q.sort);
    return db_.read([&](db::Conn& c) {
        if (q.filter.category && !categories_.exists(c, *q.filter.category))
            throw Error::validation("category", "is not a known category id");
        ListFilter filter = q.filter;
        if (filter.category) filter.category_ids = categories_.subtree(c, *filter.category);
        // One row more than asked tells whether another page follows.
        auto rows = products_.list(c, filter, q.sort, after, q.limit + 1);
        ProductPage page;
        bool more = rows.size() > static_cast<std::size_t>(q.limit);
        if (more) rows.resize(static_cast<std::size_t>(q.limit));
        if (more && !rows.empty()) page.next = cursor_after(rows.back(), q.sort);
        for (auto& r : rows) page.items.push_back(std::move(r.product));
        return page;
    });
}

ProductInfo ProductService::update(std::string_view id, const ProductPatch& patch,
                                   const std::optional<std::string>& if_match) {
    check_currency(patch.currency);
    return db_.write([&](db::Tx& tx) {
        auto current = products_.find(tx, id);
        if (!current) throw Error::not_found("no product with this id");
        if (if_match && !match_allows(*if_match, current->version)) throw stale(current->version);

        ProductInfo next = *current;
        std::vector<std::string> changed;
        if (patch.sku) set_if_changed(next.sku, *patch.sku, "sku", changed);
        if (patch.name) set_if_changed(next.name, *patch.name, "name", changed);
        if (patch.description) set_if_changed(next.description, *patch.description, "description", changed);
        if (patch.price && current->has_options())
            throw Error::validation("price", "a product with options takes its price from its variants");
        if (patch.price) set_if_changed(next.price, *patch.price, "price", changed);
        if (patch.currency) set_if_changed(next.currency, *patch.currency, "currency", changed);
        if (patch.category_id) {
            check_category(tx, *patch.category_id, "category_id");
            set_if_changed(next.category_id, *patch.category_id, "category_id", changed);
        }
        if (patch.attributes) set_if_changed(next.attributes, *patch.attributes, "attributes", changed);
        if (patch.images) set_if_changed(next.images, *patch.images, "images", changed);
        if (changed.empty()) return *current;

        if (next.sku != current->sku && products_.sku_used_by_other(tx, next.sku, id)) throw sku_taken(next.sku);
        next.updated_at_ms = core::now_ms();
        next.version = current->version + 1;
        bool written;
        try {
            // A plain product's one variant follows its sku and price (the variant first:
            // the lock order of VariantRepository).
            if (!current->has_options() && (next.sku != current->sku || next.price != current->price)) {
                api::VariantInfo one = current->variants.at(0);
                one.sku = next.sku;
                one.price = next.price;
                variants_.update(tx, one, next.updated_at_ms);
                next.variants.at(0) = one;
                next.price_max = next.price;
            }
            written = products_.update(tx, next, current->version);
        } catch (const db::ConstraintError&) {
            throw sku_taken(next.sku);
        }
        // Only a database that lets another writer in between (PostgreSQL's read committed)
        // can get here; the caller's view is stale either way.
        if (!written) throw stale(current->version);
        tx.emit(events::ProductUpdated{next.id, next.version, changed});
        return next;
    });
}

void ProductService::archive(std::string_view id, const std::optional<std::string>& if_match) {
    db_.write([&](db::Tx& tx) {
        auto current = products_.find(tx, id);
        if (!current) throw Error::not_found("no product with this id");
        if (if_match && !match_allows(*if_match, current->version)) throw stale(current->version);
        if (products_.archive(tx, id, core::now_ms())) tx.emit(events::ProductArchived{current->id});
    });
}

std::int64_t ProductService::adjust_stock(std::string_view id, std::int64_t delta,
                                          const std::optional<std::string>& reason) {
    return db_.write([&](db::Tx& tx) {
        // The one variant of a plain product has the product's id.
        auto change = variants_.adjust_stock(tx, id, id, delta, core::now_ms());
        if (!change) {
            auto current = products_.find(tx, id);
            if (!current) throw Error::not_found("no product with this id");
            if (current->has_options())
                throw Error("variant_required",
                            "this product has options: adjust a variant's stock through "
                            "POST /api/v1/products/{id}/variants/{variant_id}/stock")
                    .with_field("product_id", current->id);
            throw Error("insufficient_stock",
                        fmt::format("stock is {}; it cannot go below zero", current->stock))
                .with_field("product_id", current->id)
                .with_field("available", current->stock);
        }
        tx.emit(events::StockAdjusted{std::string(id), delta, change->stock, reason, std::string(id)});
        return change->stock;
    });
}

}  // namespace shop::product
