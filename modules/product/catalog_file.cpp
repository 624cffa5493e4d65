#include "catalog_file.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

#include "shop/core/csv.hpp"
#include "shop/core/error.hpp"
#include "shop/core/random.hpp"
#include "shop/core/text.hpp"
#include "shop/core/time.hpp"
#include "shop/events/catalog_events.hpp"
#include "variant_rules.hpp"

namespace shop::product {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 9> kColumns = {"product_id",  "variant_id", "sku",   "name",  "description",
                                                      "category_id", "price",      "stock", "status"};
constexpr std::string_view kOptionPrefix = "option:";
constexpr std::size_t kMaxName = 300;
constexpr std::size_t kMaxDescription = 20000;

// One data row, read and checked for its own shape. Optional members are the columns the
// file does not have: an update leaves those as they are.
struct Row {
    std::int64_t row = 0;
    std::string product_id, variant_id;  // empty: not given
    std::string sku, name;
    std::optional<std::string> description, category_id;  // category "" removes it
    std::int64_t price = 0;
    std::optional<std::int64_t> stock;
    std::optional<std::string> status;
    json options = json::object();  // the non-empty option cells
};

std::optional<std::int64_t> whole_number(std::string_view s, std::int64_t max) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0 || v > max) return std::nullopt;
    return v;
}

struct Header {
    std::map<std::string, std::size_t> column;          // column name -> index
    std::vector<std::pair<std::string, std::size_t>> options;  // option name -> index, file order
    std::size_t width = 0;

    bool has(std::string_view name) const { return column.count(std::string(name)) != 0; }
};

Header read_header(const std::vector<std::string>& cells, std::vector<FieldError>& errors) {
    Header h;
    h.width = cells.size();
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const std::string& c = cells[i];
        if (c.starts_with(kOptionPrefix)) {
            std::string name = c.substr(kOptionPrefix.size());
            std::vector<FieldError> name_errors;
            check_options(json::array({{{"name", name}, {"values", {"x"}}}}), name_errors);
            if (!name_errors.empty())
                errors.push_back({c, "option columns are option:<Name>, the name 1 to 50 bytes without ':'", 0});
        } else if (std::find(kColumns.begin(), kColumns.end(), c) == kColumns.end()) {
            errors.push_back({c.empty() ? "header" : c,
                              "is not a column of the catalogue file (product_id, variant_id, sku, name, description, "
                              "category_id, price, stock, status, option:<Name>)",
                              0});
            continue;
        }
        if (!h.column.emplace(c, i).second) errors.push_back({c, "appears twice in the header", 0});
        else if (c.starts_with(kOptionPrefix)) h.options.emplace_back(c.substr(kOptionPrefix.size()), i);
    }
    for (const char* required : {"sku", "name", "price"})
        if (!h.has(required)) errors.push_back({required, "is a required column", 0});
    return h;
}

Row read_row(const Header& h, const std::vector<std::string>& cells, std::int64_t n, std::vector<FieldError>& errors) {
    Row r;
    r.row = n;
    auto cell = [&](std::string_view name) -> const std::string* {
        auto it = h.column.find(std::string(name));
        return it == h.column.end() ? nullptr : &cells[it->second];
    };
    auto error = [&](std::string field, std::string message) { errors.push_back({std::move(field), std::move(message), n}); };
    for (const auto& [name, i] : h.column)
        if (!core::storable_text(cells[i])) error(name, "is not UTF-8 text without the NUL character");

    if (const auto* c = cell("product_id")) r.product_id = *c;
    if (const auto* c = cell("variant_id")) r.variant_id = *c;
    r.sku = *cell("sku");
    if (r.sku.empty() || r.sku.size() > 64 || has_control_chars(r.sku))
        error("sku", "is required: 1 to 64 bytes without control characters");
    r.name = *cell("name");
    if (r.name.empty() || r.name.size() > kMaxName) error("name", fmt::format("is required: 1 to {} bytes", kMaxName));
    if (const auto* c = cell("description")) {
        if (c->size() > kMaxDescription) error("description", fmt::format("at most {} bytes", kMaxDescription));
        r.description = *c;
    }
    if (const auto* c = cell("category_id")) r.category_id = *c;
    if (auto p = whole_number(*cell("price"), kMaxPrice))
        r.price = *p;
    else
        error("price", "must be a whole number of minor units (cents), 0 or more");
    if (const auto* c = cell("stock"); c && !c->empty()) {
        if (auto s = whole_number(*c, kMaxStock))
            r.stock = *s;
        else
            error("stock", "must be a whole number, 0 or more");
    }
    if (const auto* c = cell("status"); c && !c->empty()) {
        if (*c != "active" && *c != "archived") error("status", "must be active or archived");
        r.status = *c;
    }
    for (const auto& [name, i] : h.options)
        if (!cells[i].empty()) r.options[name] = cells[i];
    return r;
}

// The product-level cells of rows of one product must agree; the first row sets them.
struct ProductCells {
    std::int64_t row = 0;
    std::string name;
    std::optional<std::string> description, category_id;
};

void agree(std::map<std::string, ProductCells>& seen, const std::string& product_key, const Row& r,
           std::vector<FieldError>& errors) {
    auto [it, fresh] = seen.emplace(product_key, ProductCells{r.row, r.name, r.description, r.category_id});
    if (fresh) return;
    const ProductCells& first = it->second;
    auto differs = [&](const char* field) {
        errors.push_back({field, fmt::format("differs from row {} of the same product", first.row), r.row});
    };
    if (r.name != first.name) differs("name");
    if (r.description != first.description) differs("description");
    if (r.category_id != first.category_id) differs("category_id");
}

std::string effective_status(const ProductInfo& p, const api::VariantInfo& v) {
    return p.active() ? v.status : "archived";
}

}  // namespace

std::string CatalogFile::export_csv() {
    auto products = db_.read([&](db::Conn& c) { return product_rows_.all(c); });
    std::set<std::string> option_names;
    for (const auto& p : products)
        for (const auto& o : p.options) option_names.insert(o["name"].get<std::string>());
    std::string out;
    std::vector<std::string> cells(kColumns.begin(), kColumns.end());
    for (const auto& name : option_names) cells.push_back(std::string(kOptionPrefix) + name);
    csv::append_record(out, cells);
    for (const auto& p : products)
        for (const auto& v : p.variants) {
            cells = {p.id,
                     v.id,
                     v.sku,
                     p.name,
                     p.description,
                     p.category_id.value_or(""),
                     std::to_string(v.price),
                     std::to_string(v.stock),
                     effective_status(p, v)};
            for (const auto& name : option_names)
                cells.push_back(v.options.contains(name) ? v.options[name].get<std::string>() : "");
            csv::append_record(out, cells);
        }
    return out;
}

ImportResult CatalogFile::import_csv(std::string_view text) {
    std::vector<std::vector<std::string>> records;
    try {
        records = csv::parse(text, {.max_records = kMaxImportRows + 1, .max_fields = 64});
    } catch (const csv::Error& e) {
        // Record 1 is the header: data rows count from 1 after it.
        const auto row = static_cast<std::int64_t>(e.record) - 1;
        if (e.record > kMaxImportRows + 1)
            throw Error::validation(
                {{"file", fmt::format("holds more than {} data rows; import it in parts", kMaxImportRows), row}});
        throw Error::validation({{"file", e.what(), row}});
    }
    std::vector<FieldError> shape_errors;
    if (records.empty()) throw Error::validation({{"file", "is empty: it needs a header row and data rows", 0}});
    const Header header = read_header(records[0], shape_errors);
    if (!shape_errors.empty()) throw Error::validation(std::move(shape_errors));

    std::vector<Row> rows;
    for (std::size_t i = 1; i < records.size(); ++i) {
        const auto& cells = records[i];
        if (cells.size() == 1 && cells[0].empty()) continue;  // a blank line
        const auto n = static_cast<std::int64_t>(i);
        if (cells.size() != header.width) {
            shape_errors.push_back({"row", fmt::format("has {} fields; the header has {}", cells.size(), header.width), n});
            continue;
        }
        rows.push_back(read_row(header, cells, n, shape_errors));
    }
    if (rows.empty() && shape_errors.empty()) shape_errors.push_back({"file", "has no data rows", 1});
    std::map<std::string, std::int64_t> skus;
    for (const auto& r : rows)
        if (auto [it, fresh] = skus.emplace(r.sku, r.row); !fresh)
            shape_errors.push_back({"sku", fmt::format("is also on row {}", it->second), r.row});

    return db_.write([&](db::Tx& tx) {
        // Everything below is made afresh on each attempt: a server database may run the
        // transaction again after a serialization failure.
        std::vector<FieldError> errors = shape_errors;
        const std::int64_t now = core::now_ms();
        std::map<std::string, ProductInfo> known;  // existing products the file touches
        auto product = [&](const std::string& id) -> ProductInfo* {
            auto it = known.find(id);
            if (it == known.end()) {
                auto p = product_rows_.find(tx, id);
                if (!p) return nullptr;
                it = known.emplace(id, std::move(*p)).first;
            }
            return &it->second;
        };
        std::map<std::string, ProductCells> cells_of;  // product id, or "new:<name>" -> first row
        struct Update {
            const Row* row;
            std::string product_id;
            api::VariantInfo variant;
        };
        struct Addition {
            const Row* row;
            std::string product_id;
        };
        std::vector<Update> updates;
        std::vector<Addition> additions;           // new variants of existing products
        std::vector<const Row*> plain;             // new products without options
        std::map<std::string, std::vector<const Row*>> grouped;  // new products with options, by name
        std::vector<std::string> group_order;
        std::set<std::string> options_grew;  // existing products given new option values
        std::map<std::string, std::int64_t> added;  // product id + combination -> the row adding it

        for (const auto& r : rows) {
            auto error = [&](std::string field, std::string message) {
                errors.push_back({std::move(field), std::move(message), r.row});
            };
            if (r.category_id && !r.category_id->empty() && !categories_.exists(tx, *r.category_id))
                error("category_id", "is not a known category id");
            if (auto v = variants_.find_by_sku(tx, r.sku)) {
                product(v->product_id);  // read once, before any change
                if (!r.product_id.empty() && r.product_id != v->product_id)
                    error("product_id", fmt::format("the sku belongs to product {}", v->product_id));
                if (!r.variant_id.empty() && r.variant_id != v->id)
                    error("variant_id", fmt::format("the sku belongs to variant {}", v->id));
                for (const auto& [name, value] : r.options.items())
                    if (!v->options.contains(name) || v->options[name] != value)
                        error(std::string(kOptionPrefix) + name,
                              "a variant's options do not change: give a new sku to sell another combination");
                agree(cells_of, v->product_id, r, errors);
                updates.push_back({&r, v->product_id, *v});
                continue;
            }
            if (!r.variant_id.empty())
                error("variant_id", "names a variant, but no variant has this sku: rows are matched by sku");
            if (product_rows_.sku_used_by_other(tx, r.sku, ""))
                error("sku", "is the sku of another product");
            if (!r.product_id.empty()) {
                ProductInfo* p = product(r.product_id);
                if (!p) {
                    error("product_id", "is not a known product id");
                } else if (!p->has_options()) {
                    error("product_id", "this product has no options, so it has one variant; a new sku makes a "
                                        "new product when product_id is empty");
                } else {
                    std::vector<FieldError> found;
                    // A new value (size XL) joins the option, as POST .../variants allows.
                    if (add_new_values(p->options, r.options, "options", found)) options_grew.insert(p->id);
                    check_combination(p->options, r.options, "options", found);
                    for (auto& f : found) error(f.field, f.message);
                    for (const auto& v : p->variants)
                        if (found.empty() && v.active() && option_key(v.options) == option_key(r.options))
                            error("options", fmt::format("variant {} has this combination", v.sku));
                    auto [at, fresh] = added.emplace(p->id + "\n" + option_key(r.options), r.row);
                    if (found.empty() && !fresh)
                        error("options", fmt::format("row {} adds this combination already", at->second));
                    agree(cells_of, p->id, r, errors);
                    additions.push_back({&r, p->id});
                }
                continue;
            }
            if (r.options.empty()) {
                plain.push_back(&r);
                continue;
            }
            if (!grouped.count(r.name)) group_order.push_back(r.name);
            grouped[r.name].push_back(&r);
            agree(cells_of, "new:" + r.name, r, errors);
        }

        // New products with options: the options are what their rows name, in column order.
        std::vector<NewProduct> made;
        std::vector<std::vector<const Row*>> made_rows;
        for (const auto& name : group_order) {
            const auto& group = grouped[name];
            json options = json::array();
            for (const auto& [option, _] : header.options) {
                json values = json::array();
                for (const Row* r : group)
                    if (r->options.contains(option) &&
                        std::find(values.begin(), values.end(), r->options[option]) == values.end())
                        values.push_back(r->options[option]);
                if (!values.empty()) options.push_back({{"name", option}, {"values", values}});
            }
            std::vector<FieldError> found;
            check_options(options, found);
            for (auto& f : found) errors.push_back({"options", f.message, group.front()->row});
            NewProduct np;
            np.sku = group.front()->sku;
            np.name = name;
            np.description = group.front()->description.value_or("");
            if (group.front()->category_id && !group.front()->category_id->empty())
                np.category_id = group.front()->category_id;
            np.options = options;
            for (const Row* r : group) np.variants.push_back({r->sku, r->options, r->price, r->stock.value_or(0)});
            if (found.empty()) {
                check_variants(options, np.variants, found);
                for (auto& f : found) {
                    // "variants[i].options" -> the row of variant i
                    std::size_t i = 0;
                    std::sscanf(f.field.c_str(), "variants[%zu]", &i);
                    std::string field = f.field.find(".sku") != std::string::npos ? "sku" : "options";
                    errors.push_back({field, f.message, group[std::min(i, group.size() - 1)]->row});
                }
            }
            made.push_back(std::move(np));
            made_rows.push_back(group);
        }
        if (!errors.empty()) {
            std::stable_sort(errors.begin(), errors.end(),
                             [](const FieldError& a, const FieldError& b) { return a.row < b.row; });
            throw Error::validation(std::move(errors));
        }

        ImportResult result;
        std::map<std::string, std::set<std::string>> touched;  // product id -> what changed
        // 1. Product cells of existing products. A product renamed (or moved, or described
        // anew) changes each of its rows: every row of it counts as updated.
        std::set<std::string> renamed;
        for (const auto& [key, cells] : cells_of) {
            if (key.starts_with("new:")) continue;
            ProductInfo* p = product(key);
            ProductInfo next = *p;
            next.name = cells.name;
            if (cells.description) next.description = *cells.description;
            if (cells.category_id)
                next.category_id = cells.category_id->empty() ? std::nullopt : cells.category_id;
            if (next.name == p->name && next.description == p->description && next.category_id == p->category_id)
                continue;
            if (next.name != p->name) touched[key].insert("name");
            if (next.description != p->description) touched[key].insert("description");
            if (next.category_id != p->category_id) touched[key].insert("category_id");
            renamed.insert(key);
            next.updated_at_ms = now;
            product_rows_.update(tx, next, p->version);
            *p = next;
            p->version += 1;
        }
        // 2. Variants that exist.
        for (const auto& u : updates) {
            const Row& r = *u.row;
            ProductInfo* p = product(u.product_id);
            bool changed = renamed.count(u.product_id) != 0;
            api::VariantInfo next = u.variant;
            next.price = r.price;
            if (next.price != u.variant.price) {
                variants_.update(tx, next, now);
                touched[u.product_id].insert(p->has_options() ? "variants" : "price");
                changed = true;
            }
            if (r.stock && *r.stock != u.variant.stock) {
                const std::int64_t delta = *r.stock - u.variant.stock;
                variants_.adjust_stock(tx, u.product_id, u.variant.id, delta, now);
                tx.emit(events::StockAdjusted{u.product_id, delta, *r.stock, std::string("import"), u.variant.id});
                touched[u.product_id];
                changed = true;
            }
            if (r.status && *r.status != effective_status(*p, u.variant)) {
                if (*r.status == "archived" && !p->has_options()) {
                    if (product_rows_.archive(tx, p->id, now)) tx.emit(events::ProductArchived{p->id});
                    p->status = "archived";
                } else if (*r.status == "archived") {
                    variants_.set_status(tx, u.variant.id, "archived", now);
                    touched[u.product_id].insert("variants");
                } else {
                    if (!p->active() && product_rows_.restore(tx, p->id, now)) touched[u.product_id].insert("status");
                    p->status = "active";
                    if (!u.variant.active()) variants_.set_status(tx, u.variant.id, "active", now);
                    touched[u.product_id].insert(p->has_options() ? "variants" : "status");
                }
                changed = true;
            }
            if (changed) ++result.updated;
        }
        // 3. New variants of existing products, and the option values they brought.
        for (const auto& id : options_grew) {
            product_rows_.set_options(tx, id, known.at(id).options, now);
            touched[id].insert("options");
        }
        for (const auto& a : additions) {
            const Row& r = *a.row;
            api::VariantInfo v{core::new_id("var"), a.product_id, r.sku, r.options, r.price, r.stock.value_or(0),
                               r.status.value_or("active")};
            variants_.insert(tx, v, now);
            touched[a.product_id].insert("variants");
            ++result.created;
        }
        for (const auto& [id, fields] : touched) {
            variants_.refresh_product(tx, id, now);
            auto p = product_rows_.find(tx, id);
            if (!fields.empty()) tx.emit(events::ProductUpdated{id, p->version, {fields.begin(), fields.end()}});
        }
        // 4. New products.
        auto create = [&](NewProduct np, const std::vector<const Row*>& from) {
            ProductInfo p = products_.insert(tx, products_.build(np));
            for (std::size_t i = 0; i < from.size() && i < p.variants.size(); ++i)
                if (from[i]->status == "archived") {
                    if (p.has_options())
                        variants_.set_status(tx, p.variants[i].id, "archived", now);
                    else if (product_rows_.archive(tx, p.id, now))
                        tx.emit(events::ProductArchived{p.id});
                }
            if (p.has_options()) variants_.refresh_product(tx, p.id, now);
            result.created += static_cast<std::int64_t>(from.size());
        };
        for (const Row* r : plain) {
            NewProduct np;
            np.sku = r->sku;
            np.name = r->name;
            np.description = r->description.value_or("");
            if (r->category_id && !r->category_id->empty()) np.category_id = r->category_id;
            np.price = r->price;
            np.stock = r->stock.value_or(0);
            create(std::move(np), {r});
        }
        for (std::size_t i = 0; i < made.size(); ++i) create(std::move(made[i]), made_rows[i]);
        return result;
    });
}

}  // namespace shop::product
