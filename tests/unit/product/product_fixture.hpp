#pragma once
// A migrated temp database with the product module's tables and its services, plus small
// helpers to make products and read the event log.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "product/category_service.hpp"
#include "product/migrations.hpp"
#include "product/product_service.hpp"
#include "test_db.hpp"

namespace shop::test {

inline db::Migrator product_migrations() {
    db::Migrator m;
    product::add_migrations(m);
    return m;
}

struct ProductFixture {
    TestDb t{product_migrations()};
    product::ProductService products{t.db(), "USD"};
    product::CategoryService categories{t.db()};
    int next_sku = 0;

    product::ProductInfo make(std::string name, std::int64_t price, std::int64_t stock = 10,
                              std::optional<std::string> category = std::nullopt) {
        product::NewProduct in;
        in.sku = "SKU-" + std::to_string(++next_sku);
        in.name = std::move(name);
        in.price = price;
        in.stock = stock;
        in.category_id = std::move(category);
        return products.create(in);
    }

    // A shirt in sizes (one option), each variant `stock` units at `price` (+50 for L).
    product::ProductInfo make_shirt(std::vector<std::string> sizes, std::int64_t price = 1000,
                                    std::int64_t stock = 10) {
        product::NewProduct in;
        in.sku = "SHIRT-" + std::to_string(++next_sku);
        in.name = "Shirt " + in.sku;
        in.options = nlohmann::json::array({{{"name", "Size"}, {"values", sizes}}});
        for (const auto& s : sizes)
            in.variants.push_back({in.sku + "-" + s, {{"Size", s}}, s == "L" ? price + 50 : price, stock});
        return products.create(in);
    }

    // (type, data) of every event so far, oldest first.
    std::vector<std::pair<std::string, nlohmann::json>> events() {
        return t.db().read([](db::Conn& c) {
            std::vector<std::pair<std::string, nlohmann::json>> out;
            for (const auto& r : c.query("SELECT type, data FROM events ORDER BY seq"))
                out.emplace_back(r.str(0), nlohmann::json::parse(r.str(1)));
            return out;
        });
    }

    std::vector<std::pair<std::string, nlohmann::json>> events_of(const std::string& type) {
        std::vector<std::pair<std::string, nlohmann::json>> out;
        for (auto& e : events())
            if (e.first == type) out.push_back(std::move(e));
        return out;
    }
};

}  // namespace shop::test
