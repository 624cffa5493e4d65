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

std::vector<ListedCategory> CategoryService::list(std::optional<std::int64_t> after_seq, int limit) {
    return db_.read([&](db::Conn& c) { return categories_.list(c, after_seq, limit); });
}

}  // namespace shop::product
