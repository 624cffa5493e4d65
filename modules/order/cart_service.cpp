#include "cart_service.hpp"

#include "money.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"

namespace shop::order {

nlohmann::json to_json(const CartView& c) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& l : c.items)
        items.push_back({{"product_id", l.product_id},
                         {"variant_id", l.variant_id},
                         {"sku", l.sku},
                         {"options", l.options},
                         {"name", l.name},
                         {"unit_price", l.unit_price},
                         {"quantity", l.quantity},
                         {"line_total", l.line_total}});
    nlohmann::json out = {{"items", std::move(items)}, {"total", c.total}, {"currency", c.currency}};
    if (!c.notes.empty()) out["notes"] = c.notes;
    return out;
}

namespace {
Error variant_required(const api::Item& item) {
    return Error("variant_required", "product " + item.product.id +
                                         " has options: put one of its variants in the cart by its variant id")
        .with_field("product_id", item.product.id);
}
}  // namespace

CartView CartService::view(const std::string& user_id) {
    CartView v;
    v.currency = currency_;
    std::vector<std::pair<std::string, std::string>> gone;  // (variant id, product id)
    db_.read([&](db::Conn& c) {
        auto lines = carts_.lines(c, user_id);
        std::vector<std::string> ids;
        for (const auto& l : lines) ids.push_back(l.variant_id);
        auto items = catalog_.items(c, ids);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const auto& l = lines[i];
            if (!items[i] || !items[i]->sellable()) {
                gone.emplace_back(l.variant_id, items[i] ? items[i]->product.id : l.variant_id);
                continue;
            }
            const auto& p = items[i]->product;
            const auto& var = *items[i]->variant;
            auto total = line_total(var.price, l.quantity);
            auto sum = total ? add_money(v.total, *total) : std::nullopt;
            if (!sum) throw Error::validation("items", "the cart total is too large");
            v.total = *sum;
            v.items.push_back({p.id, var.id, var.sku, var.options, p.name, var.price, l.quantity, *total});
        }
    });
    if (!gone.empty()) {
        db_.write([&](db::Tx& tx) {
            for (const auto& [id, _] : gone) carts_.remove(tx, user_id, id);
        });
        for (const auto& [id, product_id] : gone)
            v.notes.push_back({{"variant_id", id},
                               {"product_id", product_id},
                               {"message", "this product is no longer available and was removed from the cart"}});
    }
    return v;
}

CartView CartService::put(const std::string& user_id, const std::string& id, std::int64_t quantity) {
    if (quantity < 0 || quantity > kMaxQuantity)
        throw Error::validation("quantity", "must be an integer from 0 to " + std::to_string(kMaxQuantity));
    db_.write([&](db::Tx& tx) {
        auto item = std::move(catalog_.items(tx, {id}).front());
        if (item && !item->variant) throw variant_required(*item);
        if (quantity > 0) {
            if (!item || !item->sellable())
                throw Error::validation("product_id", "no such product is for sale")
                    .with_field("product_id", item ? item->product.id : id)
                    .with_field("variant_id", id);
            // An order takes at most kMaxLines lines; the cart says so when the line is added.
            if (!carts_.has(tx, user_id, id) && carts_.count(tx, user_id) >= kMaxLines)
                throw Error("cart_full", "a cart holds at most " + std::to_string(kMaxLines) +
                                             " lines; remove one or check out first")
                    .with_field("max_lines", kMaxLines);
        }
        carts_.set(tx, user_id, id, quantity, core::now_ms());
    });
    return view(user_id);
}

CartView CartService::remove(const std::string& user_id, const std::string& id) {
    db_.write([&](db::Tx& tx) {
        if (carts_.remove(tx, user_id, id)) return;
        // Nothing to remove: say why when the id can never name a cart line.
        auto item = std::move(catalog_.items(tx, {id}).front());
        if (item && !item->variant) throw variant_required(*item);
    });
    return view(user_id);
}

CartView CartService::clear(const std::string& user_id) {
    db_.write([&](db::Tx& tx) { carts_.clear(tx, user_id); });
    return view(user_id);
}

}  // namespace shop::order
