#include "category_service.hpp"

#include <algorithm>

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

std::optional<CategoryInfo> CategoryService::find(const std::string& id) {
    return db_.read([&](db::Conn& c) { return categories_.find(c, id); });
}

CategoryInfo CategoryService::update(const std::string& id, const CategoryChange& change) {
    return db_.write([&](db::Tx& tx) {
        auto current = categories_.find(tx, id);
        if (!current) throw Error::not_found("no such category");
        CategoryInfo next = *current;
        std::vector<std::string> fields;
        if (change.name && *change.name != current->name) {
            next.name = *change.name;
            fields.push_back("name");
        }
        if (change.parent_id && *change.parent_id != current->parent_id) {
            const auto& parent = *change.parent_id;
            if (parent) {
                if (!categories_.exists(tx, *parent)) throw Error::validation("parent_id", "is not a known category id");
                // Read in the writing transaction: a concurrent move cannot slip a cycle in.
                auto below = categories_.subtree(tx, id);
                if (std::find(below.begin(), below.end(), *parent) != below.end())
                    throw Error::validation("parent_id", "is the category itself or one of its descendants");
            }
            next.parent_id = parent;
            fields.push_back("parent_id");
        }
        if (fields.empty()) return next;
        categories_.update(tx, next);
        tx.emit(events::CategoryUpdated{id, fields, next.parent_id});
        return next;
    });
}

void CategoryService::remove(const std::string& id) {
    db_.write([&](db::Tx& tx) {
        if (!categories_.exists(tx, id)) throw Error::not_found("no such category");
        if (categories_.has_children(tx, id))
            throw Error("category_not_empty", "the category has subcategories; move or delete them first");
        if (categories_.has_products(tx, id))
            throw Error("category_not_empty", "products are in the category (archived ones too); move them first");
        categories_.remove(tx, id);
        tx.emit(events::CategoryDeleted{id});
    });
}

}  // namespace shop::product
