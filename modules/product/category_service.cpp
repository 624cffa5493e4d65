#include "category_service.hpp"

#include "created_events.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"
#include "shop/core/error.hpp"

namespace shop::product {


CategoryInfo CategoryService::create(const std::string& name, const std::optional<std::string>& parent_id) {
    return db_.write([&](db::Tx& tx) {
        if (parent_id && !categories_.exists(tx, *parent_id))
            throw Error::validation("parent_id", "is not a known category id");
        CategoryInfo c{core::new_id("cat"), name, parent_id};
        categories_.insert(tx, c, core::now_ms());
        tx.emit(category_created(c));
        return c;
    });
}

CategoryPage CategoryService::list(int limit, const std::optional<nlohmann::json>& after) {
    std::optional<std::int64_t> after_seq;
    if (after) {
        if (!after->is_object() || !after->contains("c") || !(*after)["c"].is_number_integer())
            throw Error::validation("cursor", "is not a cursor of this listing");
        after_seq = (*after)["c"].get<std::int64_t>();
    }
    return db_.read([&](db::Conn& c) {
        auto rows = categories_.list(c, after_seq, limit + 1);
        CategoryPage page;
        bool more = rows.size() > static_cast<std::size_t>(limit);
        if (more) {
            rows.resize(static_cast<std::size_t>(limit));
            page.next = nlohmann::json{{"c", rows.back().seq}};
        }
        for (auto& r : rows) page.items.push_back(std::move(r.category));
        return page;
    });
}

}  // namespace shop::product
