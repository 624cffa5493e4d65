#pragma once
// Stand-ins for the product and user modules: a catalogue in memory and stock in a real
// table, so reservations commit and roll back with the order transaction as the real one does.
#include <map>
#include <stdexcept>
#include <functional>

#include "fake_catalog.hpp"
#include "shop/api/catalog.hpp"
#include "shop/api/inventory.hpp"
#include "shop/api/payments.hpp"
#include "shop/api/users.hpp"
#include "no_scheduler.hpp"
#include "test_db.hpp"

namespace shop::test {

inline db::Migrator fake_stock_migration() {
    db::Migrator m;
    m.add("fake", 1, "CREATE TABLE fake_stock (product_id TEXT PRIMARY KEY, stock INTEGER NOT NULL)");
    return m;
}

struct FakeInventory : api::Inventory {
    void set(db::Database& db, const std::string& id, std::int64_t stock) {
        db.write([&](db::Tx& tx) {
            tx.exec("INSERT INTO fake_stock(product_id, stock) VALUES (?, ?) "
                    "ON CONFLICT (product_id) DO UPDATE SET stock = excluded.stock",
                    id, stock);
        });
    }
    api::Reservation reserve(db::Tx& tx, const std::vector<api::StockLine>& lines) override {
        for (const auto& l : lines) {
            auto row = tx.query_one("SELECT stock FROM fake_stock WHERE product_id = ?", l.variant_id);
            if (!row) return {api::Reservation::Outcome::Unavailable, l.variant_id, l.variant_id};
            if (row->i64(0) < l.quantity) return {api::Reservation::Outcome::Insufficient, l.variant_id, l.variant_id};
        }
        for (const auto& l : lines)
            tx.exec("UPDATE fake_stock SET stock = stock - ? WHERE product_id = ?", l.quantity, l.variant_id);
        return {};
    }
    void release(db::Tx& tx, const std::vector<api::StockLine>& lines) override {
        for (const auto& l : lines)
            tx.exec("UPDATE fake_stock SET stock = stock + ? WHERE product_id = ?", l.quantity, l.variant_id);
    }
    std::int64_t available(db::Conn& c, const std::string& id) override {
        auto row = c.query_one("SELECT stock FROM fake_stock WHERE product_id = ?", id);
        return row ? row->i64(0) : 0;
    }
};

struct FakeUsers : api::Users {
    std::optional<api::Address> address(db::Conn&, std::string_view user_id, std::string_view id) override {
        if (user_id == "usr_1" && id == "addr_1")
            return api::Address{"addr_1", "usr_1", "Ada", "1 Main St", std::nullopt, "Springfield", "12345", "US"};
        return std::nullopt;
    }
    nlohmann::json to_json(const api::Address& a) const override {
        return {{"name", a.name}, {"line1", a.line1}, {"city", a.city}, {"postal_code", a.postal_code},
                {"country", a.country}};
    }
    std::optional<std::string> email(db::Conn&, std::string_view user_id) override {
        return std::string(user_id) + "@example.com";
    }
};

// Refunds through a callback, so a test can act while the "provider" is working.
struct ScriptedPayments : api::Payments {
    std::function<std::int64_t(std::string_view)> refund;
    int calls = 0;
    std::int64_t refund_order_in_full(std::string_view order_id) override {
        ++calls;
        return refund(order_id);
    }
    std::int64_t refund_for_return(std::string_view, std::string_view, std::int64_t) override {
        throw std::logic_error("not used here");
    }
    std::chrono::seconds settle_after() const override { return std::chrono::seconds(120); }
};

}  // namespace shop::test
