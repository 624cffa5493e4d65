#include "product_handlers.hpp"
#include "product_json.hpp"
#include "shop/core/error.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::product {

http::Response CategoryHandlers::list(http::Context& ctx) {
    http::Page page = http::parse_page(ctx.request());
    auto rows = categories_.list(http::number_after(page), page.limit + 1);
    return http::Response::json(http::page_of(
        std::move(rows), page.limit, [](const ListedCategory& c) { return http::number_position(c.seq); },
        [](const ListedCategory& c) { return category_json(c.category); }));
}

http::Response CategoryHandlers::create(http::Context& ctx) {
    const nlohmann::json body = ctx.json_body();
    http::Fields f(body);
    f.only({"name", "parent_id"});
    std::string name = f.string("name", {.min = 1, .max = 100});
    auto parent_id = f.opt_string("parent_id", {.min = 1, .max = 100});
    f.done();
    return http::Response::json(201, category_json(categories_.create(name, parent_id)));
}

http::Response CategoryHandlers::get(http::Context& ctx) {
    auto c = categories_.find(ctx.param("id"));
    if (!c) throw Error::not_found("no such category");
    return http::Response::json(category_json(*c));
}

http::Response CategoryHandlers::update(http::Context& ctx) {
    const nlohmann::json body = ctx.json_body();
    http::Fields f(body);
    f.only({"name", "parent_id"});
    CategoryChange change;
    if (body.contains("name") && body["name"].is_null()) f.error("name", "must not be null");
    change.name = f.opt_string("name", {.min = 1, .max = 100});
    if (body.contains("parent_id")) {
        if (body["parent_id"].is_null())
            change.parent_id.emplace(std::nullopt);
        else
            change.parent_id.emplace(f.opt_string("parent_id", {.min = 1, .max = 100}));
    }
    f.done();
    return http::Response::json(category_json(categories_.update(ctx.param("id"), change)));
}

http::Response CategoryHandlers::remove(http::Context& ctx) {
    categories_.remove(ctx.param("id"));
    return http::Response::no_content();
}

}  // namespace shop::product
