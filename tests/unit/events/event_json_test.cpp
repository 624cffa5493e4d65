// Each event's one JSON form: the bytes publishers wrote before the structs, read back
// into an equal struct, and refused (by decode, without throwing) when a field is off.
#include <catch2/catch.hpp>

#include <set>

#include "samples.hpp"
#include "shop/events/typed.hpp"

using namespace shop;
using events::Event;
using nlohmann::json;

TEST_CASE("every event writes the data its publishers wrote by hand, and reads back equal") {
    events::AllEvents::for_each([](auto type) {
        using E = typename decltype(type)::type;
        auto s = test::sample(type);
        INFO(E::kType);
        json data = s.event;
        CHECK(data.dump() == s.legacy.dump());
        CHECK(data.get<E>() == s.event);
        auto decoded = events::decode<E>(Event{1, std::string(E::kType), 0, s.legacy});
        REQUIRE(decoded);
        CHECK(*decoded == s.event);
    });
}

TEST_CASE("the registry names each event type once") {
    std::set<std::string_view> types(events::kAllTypes.begin(), events::kAllTypes.end());
    CHECK(types.size() == events::kAllTypes.size());
}

TEST_CASE("nullable fields are null in the JSON and nullopt in the struct") {
    events::ProductCreated p{"prod_1", std::nullopt, 100, "USD", 0};
    json j = p;
    CHECK(j["category_id"].is_null());
    CHECK(j.get<events::ProductCreated>() == p);
    events::StockAdjusted s{"prod_1", 3, 3, std::nullopt, "prod_1"};
    CHECK(json(s).dump() == R"({"delta":3,"product_id":"prod_1","reason":null,"stock":3,"variant_id":"prod_1"})");
    CHECK(json(s).get<events::StockAdjusted>() == s);
}

TEST_CASE("events logged before variants read with the product's id as their variant") {
    // stock.adjusted and order lines gained variant_id in v1.1; the log keeps older ones.
    auto s = json{{"product_id", "prod_1"}, {"delta", 3}, {"stock", 3}, {"reason", nullptr}}
                 .get<events::StockAdjusted>();
    CHECK(s.variant_id == "prod_1");
    auto line = json{{"product_id", "prod_2"}, {"quantity", 1}, {"unit_price", 5}}.get<events::OrderLine>();
    CHECK(line.variant_id == "prod_2");
}

TEST_CASE("order.paid logged before checkout pricing reads as all subtotal, nothing off, added or taxed") {
    // The breakdown came with v1.1; analytics over the older log must keep its revenue as it was.
    const json old = {{"order_id", "ord_1"}, {"user_id", "usr_1"}, {"payment_id", "pay_1"},
                      {"total", 2500},       {"currency", "USD"},  {"items", test::legacy_items()}};
    auto decoded = events::decode<events::OrderPaid>(Event{3, "order.paid", 0, old});
    REQUIRE(decoded);
    CHECK(decoded->total == 2500);
    CHECK(decoded->subtotal == 2500);
    CHECK(decoded->discount_total == 0);
    CHECK(decoded->shipping_total == 0);
    CHECK(decoded->tax_total == 0);
    CHECK(decoded->items == test::sample_items());
    // Written again, it carries the breakdown it was read with.
    CHECK(json(*decoded)["subtotal"] == 2500);
    CHECK(json(*decoded)["tax_total"] == 0);
}

TEST_CASE("decode skips, without throwing, an event that does not have its struct's shape") {
    auto paid = test::sample(std::type_identity<events::OrderPaid>{}).legacy;
    auto decodes = [](const std::string& type, const json& data) {
        return events::decode<events::OrderPaid>(Event{7, type, 0, data}).has_value();
    };
    CHECK(decodes("order.paid", paid));

    CHECK_FALSE(decodes("order.created", paid));            // another type
    CHECK_FALSE(decodes("order.paid", "not json at all"));  // how the repository keeps unparsable data
    CHECK_FALSE(decodes("order.paid", json::array()));
    for (const char* field : {"order_id", "user_id", "payment_id", "total", "currency", "items"}) {
        INFO(field);
        json d = paid;
        d.erase(field);
        CHECK_FALSE(decodes("order.paid", d));
        d[field] = nullptr;
        CHECK_FALSE(decodes("order.paid", d));
    }
    json d = paid;
    d["total"] = 25.5;  // money is never a float
    CHECK_FALSE(decodes("order.paid", d));
    d = paid;
    d["total"] = "2500";
    CHECK_FALSE(decodes("order.paid", d));
    d = paid;
    d["order_id"] = 17;
    CHECK_FALSE(decodes("order.paid", d));
    d = paid;
    d["items"][1].erase("unit_price");
    CHECK_FALSE(decodes("order.paid", d));
    d = paid;
    d["items"] = json::object();
    CHECK_FALSE(decodes("order.paid", d));

    for (const char* field : {"subtotal", "discount_total", "shipping_total", "tax_total"}) {
        INFO(field);  // may be absent (an older event), but not present and wrong
        json bad = paid;
        bad[field] = nullptr;
        CHECK_FALSE(decodes("order.paid", bad));
        bad[field] = 1.5;
        CHECK_FALSE(decodes("order.paid", bad));
        bad.erase(field);
        CHECK(decodes("order.paid", bad));
    }

    d = paid;
    d["note"] = "a field a later binary added";  // unknown fields are ignored
    CHECK(decodes("order.paid", d));

    auto updated = test::sample(std::type_identity<events::ProductUpdated>{}).legacy;
    updated["fields"] = json::array({"name", 3});
    CHECK_FALSE(events::decode<events::ProductUpdated>(Event{8, "product.updated", 0, updated}));
}
