#include <fmt/format.h>

#include "conditional.hpp"
#include "product_handlers.hpp"
#include "product_json.hpp"
#include "shop/core/error.hpp"
#include "shop/http/paging.hpp"
#include "shop/http/validate.hpp"

namespace shop::product {

namespace {

using http::Fields;
using nlohmann::json;

constexpr http::StringRule kSku{.min = 1, .max = 64};
constexpr http::StringRule kName{.min = 1, .max = 300};
constexpr http::StringRule kDescription{.min = 0, .max = 20000};
constexpr http::StringRule kId{.min = 1, .max = 100};
constexpr http::StringRule kCurrency{.min = 3, .max = 3};

// An uploaded image's url as the upload route listed it: kept when a client sends the
// product's images back in a PATCH.
bool is_media_path(std::string_view s) {
    constexpr std::string_view kPrefix = "/media/";
    if (!s.starts_with(kPrefix) || s.size() == kPrefix.size() || s.size() > 100) return false;
    for (char c : s.substr(kPrefix.size()))
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

void check_images(Fields& f, const json& images) {
    if (images.size() > kMaxImages) f.error("images", fmt::format("must hold at most {} URLs", kMaxImages));
    for (std::size_t i = 0; i < images.size(); ++i)
        if (!images[i].is_string() || !(http::is_http_url(images[i].get<std::string>()) ||
                                        is_media_path(images[i].get<std::string>())))
            f.error("images", fmt::format("item {} must be an http or https URL, or an uploaded image's /media/ url", i));
}

void check_sku(Fields& f, const std::optional<std::string>& sku) {
    if (sku && has_control_chars(*sku)) f.error("sku", "must not contain control characters");
}

void check_currency(Fields& f, const std::optional<std::string>& currency, const std::string& shop_currency) {
    if (currency && *currency != shop_currency)
        f.error("currency", fmt::format("must be the shop's currency, {}", shop_currency));
}

// One variant of a request: {sku, options, price, stock?}. Errors are named under `prefix`.
NewVariant parse_variant(Fields& outer, const json& body, const std::string& prefix) {
    NewVariant v;
    if (!body.is_object()) {
        outer.error(prefix.empty() ? "body" : prefix, "must be an object {sku, options, price, stock}");
        return v;
    }
    Fields f(body, prefix);
    f.only({"sku", "options", "price", "stock"});
    v.sku = f.string("sku", kSku);
    if (has_control_chars(v.sku)) f.error("sku", "must not contain control characters");
    if (!f.has("options"))
        f.error("options", "is required: {option name: value} for every option of the product");
    else if (auto o = f.opt_object("options"))
        v.options = std::move(*o);
    v.price = f.integer("price", {.min = 0, .max = kMaxPrice});
    v.stock = f.opt_integer("stock", {.min = 0, .max = kMaxStock}).value_or(0);
    outer.merge(f);
    return v;
}

void record(Fields& f, const std::vector<FieldError>& errors) {
    for (const auto& e : errors) f.error(e.field, e.message);
}

// ?option=Size:M, repeatable.
std::vector<std::pair<std::string, std::string>> option_filters(const http::Request& req) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& raw : req.query_all("option")) {
        auto colon = raw.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == raw.size())
            throw Error::validation("option", "must be Name:Value, e.g. option=Size:M");
        if (out.size() == kMaxOptions) throw Error::validation("option", "at most 3 options at once");
        out.emplace_back(raw.substr(0, colon), raw.substr(colon + 1));
    }
    return out;
}

std::optional<std::string> if_match(const http::Context& ctx) {
    auto h = ctx.request().header("If-Match");
    return h ? std::optional<std::string>(*h) : std::nullopt;
}

http::Response with_etag(http::Response r, std::int64_t version) {
    r.set_header("ETag", etag_for(version));
    // Caches may keep a copy but must revalidate it (If-None-Match) before reuse.
    r.set_header("Cache-Control", "no-cache");
    return r;
}

}  // namespace

http::Response ProductHandlers::list(http::Context& ctx) {
    const http::Request& req = ctx.request();
    http::Page page = http::parse_page(req);
    ProductQuery q;
    q.limit = page.limit;
    q.after = page.after;
    if (auto s = req.query("sort"); s && !s->empty()) {
        auto sort = sort_from_string(*s);
        if (!sort) throw Error::validation("sort", "must be one of price, -price, name, created_at, -created_at");
        q.sort = *sort;
    }
    if (auto c = req.query("category"); c && !c->empty()) q.filter.category = *c;
    q.filter.min_price = http::query_integer(req, "min_price", {.min = 0});
    q.filter.max_price = http::query_integer(req, "max_price", {.min = 0});
    q.filter.max_stock = http::query_integer(req, "max_stock", {.min = 0});
    if (auto s = req.query("in_stock"); s && !s->empty()) {
        if (*s != "true" && *s != "false") throw Error::validation("in_stock", "must be true or false");
        q.filter.in_stock = *s == "true";
    }
    q.filter.options = option_filters(req);
    if (q.filter.min_price && q.filter.max_price && *q.filter.min_price > *q.filter.max_price)
        throw Error::validation("max_price", "must not be below min_price");

    ProductPage result = products_.list(q);
    std::vector<std::string> items;
    items.reserve(result.items.size());
    for (const auto& p : result.items) items.push_back(product_body(p));
    return http::Response::text(200, http::page_body_text(items, result.next), "application/json");
}

http::Response ProductHandlers::get(http::Context& ctx) {
    auto p = products_.find(ctx.param("id"));
    if (!p) throw Error::not_found("no product with this id");
    if (auto inm = ctx.request().header("If-None-Match"); inm && none_match_hits(*inm, p->version)) {
        http::Response r;
        r.status = 304;
        return with_etag(std::move(r), p->version);
    }
    return with_etag(http::Response::text(200, product_body(*p), "application/json"), p->version);
}

http::Response ProductHandlers::create(http::Context& ctx) {
    const json body = ctx.json_body();
    Fields f(body);
    f.only({"sku", "name", "description", "price", "currency", "stock", "category_id", "attributes", "images",
            "options", "variants"});
    NewProduct in;
    in.sku = f.string("sku", kSku);
    check_sku(f, in.sku);
    in.name = f.string("name", kName);
    in.description = f.opt_string("description", kDescription).value_or("");
    const bool with_options = body.contains("options") && !(body["options"].is_array() && body["options"].empty());
    if (with_options) {
        // Price and stock are read from the variants there (section 9).
        for (const char* key : {"price", "stock"})
            if (body.contains(key))
                f.error(key, "a product with options takes it from its variants; give it on each variant");
        std::vector<FieldError> errors;
        check_options(body["options"], errors);
        record(f, errors);
        if (errors.empty()) in.options = body["options"];
        if (!body.contains("variants") || !body["variants"].is_array()) {
            f.error("variants", "is required with options: an array of {sku, options, price, stock}");
        } else {
            const json& vs = body["variants"];
            for (std::size_t i = 0; i < vs.size() && i <= kMaxVariants; ++i)
                in.variants.push_back(parse_variant(f, vs[i], fmt::format("variants[{}]", i)));
            // Checked even when a variant had a bad field, so one answer names every mistake.
            if (errors.empty()) {
                check_variants(in.options, in.variants, errors);
                record(f, errors);
            }
        }
    } else {
        if (body.contains("options") && !body["options"].is_array())
            f.error("options", "must be an array of {name, values}");
        if (body.contains("variants"))
            f.error("variants", "are made from options: give options too, or leave variants out");
        in.price = f.integer("price", {.min = 0, .max = kMaxPrice});
        in.stock = f.opt_integer("stock", {.min = 0, .max = kMaxStock}).value_or(0);
    }
    in.currency = f.opt_string("currency", kCurrency);
    check_currency(f, in.currency, products_.currency());
    in.category_id = f.opt_string("category_id", kId);
    if (auto a = f.opt_object("attributes")) in.attributes = std::move(*a);
    if (auto im = f.opt_array("images")) {
        check_images(f, *im);
        in.images = std::move(*im);
    }
    f.done();

    ProductInfo p = products_.create(in);
    http::Response r = with_etag(http::Response::json(201, product_json(p)), p.version);
    r.set_header("Location", "/api/v1/products/" + p.id);
    return r;
}

http::Response ProductHandlers::update(http::Context& ctx) {
    const json body = ctx.json_body();
    Fields f(body);
    f.only({"sku", "name", "description", "price", "currency", "category_id", "attributes", "images", "stock",
            "options", "variants"});
    if (body.contains("stock")) f.error("stock", "is changed through POST /api/v1/products/{id}/stock");
    for (const char* key : {"options", "variants"})
        if (body.contains(key)) f.error(key, "is changed through the variant routes, /api/v1/products/{id}/variants");
    // Only category_id can be removed; a null anywhere else is a mistake, not "unchanged".
    for (const auto& [key, value] : body.items())
        if (value.is_null() && key != "category_id") f.error(key, "must not be null");

    ProductPatch patch;
    patch.sku = f.opt_string("sku", kSku);
    check_sku(f, patch.sku);
    patch.name = f.opt_string("name", kName);
    patch.description = f.opt_string("description", kDescription);
    patch.price = f.opt_integer("price", {.min = 0, .max = kMaxPrice});
    patch.currency = f.opt_string("currency", kCurrency);
    check_currency(f, patch.currency, products_.currency());
    if (body.contains("category_id")) {
        if (body["category_id"].is_null())
            patch.category_id.emplace(std::nullopt);
        else
            patch.category_id.emplace(f.opt_string("category_id", kId));
    }
    patch.attributes = f.opt_object("attributes");
    patch.images = f.opt_array("images");
    if (patch.images) check_images(f, *patch.images);
    f.done();

    ProductInfo p = products_.update(ctx.param("id"), patch, if_match(ctx));
    return with_etag(http::Response::json(product_json(p)), p.version);
}

http::Response ProductHandlers::archive(http::Context& ctx) {
    products_.archive(ctx.param("id"), if_match(ctx));
    return http::Response::no_content();
}

namespace {
// {delta, reason?}: the body of both stock routes (a product's, a variant's).
struct StockRequest {
    std::int64_t delta = 0;
    std::optional<std::string> reason;
};

StockRequest read_stock_change(http::Context& ctx) {
    const json body = ctx.json_body();
    Fields f(body);
    f.only({"delta", "reason"});
    StockRequest c;
    c.delta = f.integer("delta", {.min = -kMaxStock, .max = kMaxStock});
    if (f.has("delta") && body["delta"].is_number_integer() && c.delta == 0) f.error("delta", "must not be 0");
    c.reason = f.opt_string("reason", {.min = 1, .max = 200});
    f.done();
    return c;
}
}  // namespace

http::Response ProductHandlers::adjust_stock(http::Context& ctx) {
    const StockRequest c = read_stock_change(ctx);
    const std::string& id = ctx.param("id");
    std::int64_t stock = products_.adjust_stock(id, c.delta, c.reason);
    return http::Response::json({{"product_id", id}, {"stock", stock}});
}

namespace {
json variant_body(const api::VariantInfo& v) {
    json out = variant_json(v);
    out["product_id"] = v.product_id;
    return out;
}
}  // namespace

http::Response ProductHandlers::add_variant(http::Context& ctx) {
    const json body = ctx.json_body();
    Fields f(body);
    NewVariant in = parse_variant(f, body, "");
    f.done();
    return http::Response::json(201, variant_body(variants_.add(ctx.param("id"), in)));
}

http::Response ProductHandlers::update_variant(http::Context& ctx) {
    const json body = ctx.json_body();
    Fields f(body);
    f.only({"sku", "price", "stock", "options"});  // the last two get their own message below
    if (body.contains("stock"))
        f.error("stock", "is changed through POST /api/v1/products/{id}/variants/{variant_id}/stock");
    if (body.contains("options")) f.error("options", "a variant's combination does not change; add a new variant");
    for (const auto& [key, value] : body.items())
        if (value.is_null()) f.error(key, "must not be null");
    VariantPatch patch;
    patch.sku = f.opt_string("sku", kSku);
    check_sku(f, patch.sku);
    patch.price = f.opt_integer("price", {.min = 0, .max = kMaxPrice});
    f.done();
    return http::Response::json(variant_body(variants_.update(ctx.param("id"), ctx.param("variant_id"), patch)));
}

http::Response ProductHandlers::archive_variant(http::Context& ctx) {
    variants_.archive(ctx.param("id"), ctx.param("variant_id"));
    return http::Response::no_content();
}

http::Response ProductHandlers::adjust_variant_stock(http::Context& ctx) {
    const StockRequest c = read_stock_change(ctx);
    api::VariantInfo v = variants_.adjust_stock(ctx.param("id"), ctx.param("variant_id"), c.delta, c.reason);
    return http::Response::json({{"product_id", v.product_id}, {"variant_id", v.id}, {"stock", v.stock}});
}

http::Response ProductHandlers::export_csv(http::Context&) {
    http::Response r = http::Response::text(200, file_.export_csv(), "text/csv; charset=utf-8");
    r.set_header("Content-Disposition", "attachment; filename=\"products.csv\"");
    r.set_header("Cache-Control", "no-store");
    return r;
}

http::Response ProductHandlers::import_csv(http::Context& ctx) {
    // text/csv as RFC 7111 registers it; spreadsheets and scripts also send these two.
    auto type = ctx.request().header("Content-Type").value_or("");
    std::string_view media = type.substr(0, type.find(';'));
    while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
    if (!http::iequals(media, "text/csv") && !http::iequals(media, "application/csv") &&
        !http::iequals(media, "text/plain"))
        throw Error("unsupported_media_type", "send the catalogue file as Content-Type: text/csv");
    ImportResult r = file_.import_csv(ctx.request().body);
    return http::Response::json({{"created", r.created}, {"updated", r.updated}});
}

}  // namespace shop::product
