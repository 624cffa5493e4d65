#include "variant_service.hpp"

#include <fmt/format.h>

#include "shop/core/error.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"
#include "shop/db/errors.hpp"
#include "shop/events/catalog_events.hpp"

namespace shop::product {

namespace {

Error sku_taken(const std::string& sku) {
    return Error("sku_taken", fmt::format("another product or variant already has the sku '{}'", sku));
}

bool same_combination(const api::VariantInfo& v, const nlohmann::json& options) {
    return v.active() && option_key(v.options) == option_key(options);
}

}  // namespace

std::pair<ProductInfo, api::VariantInfo> VariantService::find(db::Conn& c, std::string_view product_id,
                                                              std::string_view variant_id) {
    auto p = product_rows_.find(c, product_id);
    if (!p) throw Error::not_found("no product with this id");
    const auto* v = p->variant(variant_id);
    if (!v) throw Error::not_found("this product has no variant with this id");
    api::VariantInfo variant = *v;
    return {std::move(*p), std::move(variant)};
}

api::VariantInfo VariantService::add(std::string_view product_id, const NewVariant& in) {
    return db_.write([&](db::Tx& tx) {
        auto p = product_rows_.find(tx, product_id);
        if (!p) throw Error::not_found("no product with this id");
        if (!p->has_options())
            throw Error::validation("options",
                                    "this product has no options, so it has exactly one variant; create a product "
                                    "with options to sell it in several");
        std::vector<FieldError> errors;
        nlohmann::json options = p->options;
        const bool new_values = add_new_values(options, in.options, "options", errors);
        check_combination(options, in.options, "options", errors);
        if (!errors.empty()) throw Error::validation(std::move(errors));
        for (const auto& v : p->variants)
            if (same_combination(v, in.options))
                throw Error::validation("options", "a variant with this combination is on sale already")
                    .with_field("variant_id", v.id);
        if (p->variants.size() >= kMaxVariants)
            throw Error::validation("variants", fmt::format("a product has at most {} variants", kMaxVariants));
        if (variants_.sku_taken(tx, in.sku, p->id, "")) throw sku_taken(in.sku);

        api::VariantInfo v{core::new_id("var"), p->id, in.sku, in.options, in.price, in.stock, "active"};
        const std::int64_t now = core::now_ms();
        if (new_values) product_rows_.set_options(tx, p->id, options, now);
        try {
            variants_.insert(tx, v, now);
        } catch (const db::ConstraintError&) {
            throw sku_taken(in.sku);  // another process took it between the check and the insert
        }
        variants_.refresh_product(tx, p->id, now);
        std::vector<std::string> changed{"variants"};
        if (new_values) changed.insert(changed.begin(), "options");
        tx.emit(events::ProductUpdated{p->id, p->version + 1, changed});
        return v;
    });
}

api::VariantInfo VariantService::update(std::string_view product_id, std::string_view variant_id,
                                        const VariantPatch& patch) {
    auto current = db_.read([&](db::Conn& c) { return find(c, product_id, variant_id); });
    if (!current.first.has_options()) {
        // A plain product's one variant is the product: its sku and price are the product's.
        ProductPatch pp;
        pp.sku = patch.sku;
        pp.price = patch.price;
        ProductInfo p = products_.update(product_id, pp, std::nullopt);
        return p.variants.at(0);
    }
    return db_.write([&](db::Tx& tx) {
        auto [p, v] = find(tx, product_id, variant_id);
        api::VariantInfo next = v;
        if (patch.sku) next.sku = *patch.sku;
        if (patch.price) next.price = *patch.price;
        if (next.sku == v.sku && next.price == v.price) return v;
        if (next.sku != v.sku && variants_.sku_taken(tx, next.sku, p.id, v.id)) throw sku_taken(next.sku);
        const std::int64_t now = core::now_ms();
        try {
            variants_.update(tx, next, now);
        } catch (const db::ConstraintError&) {
            throw sku_taken(next.sku);
        }
        variants_.refresh_product(tx, p.id, now);
        tx.emit(events::ProductUpdated{p.id, p.version + 1, {"variants"}});
        return next;
    });
}

void VariantService::archive(std::string_view product_id, std::string_view variant_id) {
    db_.write([&](db::Tx& tx) {
        auto [p, v] = find(tx, product_id, variant_id);
        if (!p.has_options())
            throw Error::validation("variant_id",
                                    "a product without options has one variant: archive the product instead "
                                    "(DELETE /api/v1/products/{id})");
        const std::int64_t now = core::now_ms();
        if (!variants_.archive(tx, p.id, v.id, now)) return;  // archived already
        variants_.refresh_product(tx, p.id, now);
        tx.emit(events::ProductUpdated{p.id, p.version + 1, {"variants"}});
    });
}

api::VariantInfo VariantService::adjust_stock(std::string_view product_id, std::string_view variant_id,
                                              std::int64_t delta, const std::optional<std::string>& reason) {
    return db_.write([&](db::Tx& tx) {
        auto change = variants_.adjust_stock(tx, product_id, variant_id, delta, core::now_ms());
        auto [p, v] = find(tx, product_id, variant_id);  // 404 for an unknown one
        if (!change)
            throw Error("insufficient_stock", fmt::format("stock is {}; it cannot go below zero", v.stock))
                .with_field("product_id", p.id)
                .with_field("variant_id", v.id)
                .with_field("available", v.stock);
        tx.emit(events::StockAdjusted{p.id, delta, change->stock, reason, v.id});
        return v;
    });
}

}  // namespace shop::product
