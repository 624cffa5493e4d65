#include "cart_service.hpp"

#include "money.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"

namespace shop::order {

nlohmann::json to_json(const CartView& c) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& l : c.items)
        items.push_back({{"product_id", l.product_id},
                         {"name", l.name},
                         {"unit_price", l.unit_price},
                         {"quantity", l.quantity},
                         {"line_total", l.line_total}});
    nlohmann::json out = {{"items", std::move(items)}, {"total", c.total}, {"currency", c.currency}};
    if (!c.notes.empty()) out["notes"] = c.notes;
    return out;
}

CartView CartService::view(const std::string& user_id) {
    CartView v;
    v.currency = currency_;
    std::vector<std::string> gone;
    db_.read([&](db::Conn& c) {
        auto lines = carts_.lines(c, user_id);
        std::vector<std::string> ids;
        for (const auto& l : lines) ids.push_back(l.product_id);
        auto products = catalog_.products(c, ids);
        for (const auto& l : lines) {
            auto p = std::find_if(products.begin(), products.end(), [&](const auto& x) { return x.id == l.product_id; });
            if (p == products.end() || !p->active()) {
                gone.push_back(l.product_id);
                continue;
            }
            auto total = line_total(p->price, l.quantity);
            auto sum = total ? add_money(v.total, *total) : std::nullopt;
            if (!sum) throw Error::validation("items", "the cart total is too large");
            v.total = *sum;
            v.items.push_back({p->id, p->name, p->price, l.quantity, *total});
        }
    });
    if (!gone.empty()) {
        db_.write([&](db::Tx& tx) {
            for (const auto& id : gone) carts_.remove(tx, user_id, id);
        });
        for (const auto& id : gone)
            v.notes.push_back({{"product_id", id},
                               {"message", "this product is no longer available and was removed from the cart"}});
    }
    return v;
}

CartView CartService::put(const std::string& user_id, const std::string& product_id, std::int64_t quantity) {
    if (quantity < 0 || quantity > kMaxQuantity)
        throw Error::validation("quantity", "must be an integer from 0 to " + std::to_string(kMaxQuantity));
    db_.write([&](db::Tx& tx) {
        if (quantity > 0) {
            auto p = catalog_.product(tx, product_id);
            if (!p || !p->active())
                throw Error::validation("product_id", "no such product is for sale")
                    .with_field("product_id", product_id);
            // An order takes at most kMaxLines lines; the cart says so when the line is added.
            if (!carts_.has(tx, user_id, product_id) && carts_.count(tx, user_id) >= kMaxLines)
                throw Error("cart_full", "a cart holds at most " + std::to_string(kMaxLines) +
                                             " lines; remove one or check out first")
                    .with_field("max_lines", kMaxLines);
        }
        carts_.set(tx, user_id, product_id, quantity, core::now_ms());
    });
    return view(user_id);
}

CartView CartService::remove(const std::string& user_id, const std::string& product_id) {
    db_.write([&](db::Tx& tx) { carts_.remove(tx, user_id, product_id); });
    return view(user_id);
}

CartView CartService::clear(const std::string& user_id) {
    db_.write([&](db::Tx& tx) { carts_.clear(tx, user_id); });
    return view(user_id);
}

}  // namespace shop::order
