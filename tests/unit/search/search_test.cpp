#include <catch2/catch.hpp>

#include "problem.hpp"

#include <algorithm>

#include "search/engine/highlight.hpp"
#include "search/engine/query_terms.hpp"
#include "module_world.hpp"
#include "search/search_module.hpp"
#include "shop/core/error.hpp"

using namespace shop;
using search::SearchRequest;
using Ids = std::vector<std::string>;

namespace {

struct Shop : test::ModuleWorld<search::SearchModule> {
    using ModuleWorld::ModuleWorld;

    void seed() {
        catalog.category("cat_home", "Home");
        catalog.category("cat_kitchen", "Kitchen", "cat_home");
        catalog.category("cat_shoes", "Shoes");
        catalog.add("p1", "Running shoe", "Light trainers for the road", 5000, "cat_shoes");
        catalog.add("p2", "Leather boots", "Warm boots that go well with any shoe polish", 9000, "cat_shoes");
        catalog.add("p3", "Crème brûlée torch", "Caramelise sugar <quickly> & safely", 2500, "cat_kitchen");
        catalog.add("p4", "Shoelace pack", "Spare laces", 300);
        catalog.add("p5", "Coffee mug", "Ceramic mug for the office", 1200, "cat_home");
        catalog.add("p6", "Old shoe", "No longer sold", 100).status = "archived";
        for (const auto* id : {"p1", "p2", "p3", "p4", "p5", "p6"}) create_product(id);
    }

    search::SearchPage find(const std::string& q, std::function<void(SearchRequest&)> tweak = {}) {
        SearchRequest r;
        r.words = *search::query_words(q);
        if (tweak) tweak(r);
        return module.search().search(r);
    }
    Ids ids(const std::string& q, std::function<void(SearchRequest&)> tweak = {}) {
        Ids out;
        for (const auto& item : find(q, std::move(tweak)).items) out.push_back(item["id"]);
        return out;
    }
    Ids suggest(const std::string& q) { return module.search().suggest(*search::query_words(q), 10); }
};

bool before(const Ids& ids, const std::string& a, const std::string& b) {
    auto ia = std::find(ids.begin(), ids.end(), a), ib = std::find(ids.begin(), ids.end(), b);
    return ia != ids.end() && ib != ids.end() && ia < ib;
}

}  // namespace

TEST_CASE("a match in the name ranks above a match in the description") {
    Shop s;
    s.seed();
    auto ids = s.ids("shoe");
    CHECK(before(ids, "p1", "p2"));
    CHECK(before(ids, "p4", "p2"));
    CHECK(ids.back() == "p2");
    auto page = s.find("boots");
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0]["score"].get<double>() > 0);
    // Scores fall along the list.
    auto items = s.find("shoe").items;
    for (std::size_t i = 1; i < items.size(); ++i)
        CHECK(items[i - 1]["score"].get<double>() >= items[i]["score"].get<double>());
}

TEST_CASE("the last word matches as a prefix, the others as whole words") {
    Shop s;
    s.seed();
    CHECK(s.ids("shoel") == Ids{"p4"});
    CHECK(s.ids("running sh") == Ids{"p1"});
    CHECK(s.ids("runn shoe").empty());  // "runn" is not a word of any product
    CHECK(s.ids("mug cer") == Ids{"p5"});
}

TEST_CASE("search folds case and accents") {
    Shop s;
    s.seed();
    CHECK(s.ids("creme") == Ids{"p3"});
    CHECK(s.ids("CRÈME BRULEE") == Ids{"p3"});
    CHECK(s.ids("brul") == Ids{"p3"});
    CHECK(s.ids("COFFEE") == Ids{"p5"});
}

TEST_CASE("archived products are not indexed; changes show on the next search") {
    Shop s;
    s.seed();
    auto shoes = s.ids("shoe");
    CHECK(std::find(shoes.begin(), shoes.end(), "p6") == shoes.end());
    CHECK(s.ids("longer").empty());

    s.catalog.by_id["p5"].name = "Espresso cup";
    s.emit("product.updated", {{"product_id", "p5"}, {"version", 2}, {"fields", {"name"}}});
    CHECK(s.ids("espresso") == Ids{"p5"});
    CHECK(s.ids("coffee").empty());

    s.catalog.by_id["p1"].status = "archived";
    s.emit("product.archived", {{"product_id", "p1"}});
    CHECK(s.ids("running").empty());
    CHECK(s.suggest("runn").empty());
}

TEST_CASE("operators, quotes and odd input are searched as text, never fail") {
    Shop s;
    s.seed();
    for (const char* q : {"\"", "\"\"", "*", "shoe*", "NEAR(shoe boots)", "shoe AND", "AND", "OR shoe", "NOT",
                          "-shoe", "name:shoe", "{name}:shoe", "(shoe", "shoe)", "^shoe", "shoe + boots",
                          "'; DROP TABLE data_search_fts; --", "— …", "😀", "a\"b", "\\", "%", "_", "shoe\"*\""}) {
        INFO(q);
        CHECK_NOTHROW(s.find(q));
        CHECK_NOTHROW(s.suggest(q));
    }
    CHECK(s.ids("\"running shoe\"") == Ids{"p1"});
    CHECK(s.ids("name:boots") == Ids{});  // "name" is a word to find, not a column filter
    CHECK(s.ids("-boots") == Ids{"p2"});  // not a negation
    CHECK(s.ids("NEAR(boots)") == Ids{});
    CHECK(s.find("").total == 0);
    CHECK(s.find("*** ---").items.empty());
}

TEST_CASE("highlights mark the matched words and escape the rest") {
    Shop s;
    s.seed();
    auto page = s.find("sugar");
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0]["highlight"]["description"] == "Caramelise <mark>sugar</mark> &lt;quickly&gt; &amp; safely");
    CHECK(page.items[0]["highlight"]["name"] == "Crème brûlée torch");
    page = s.find("creme");
    CHECK(page.items[0]["highlight"]["name"] == "<mark>Crème</mark> brûlée torch");

    CHECK(search::highlight_html("a\x01<b>\x02 & \"c\"") == "a<mark>&lt;b&gt;</mark> &amp; &quot;c&quot;");
    CHECK(search::highlight_html("\x02x\x01y") == "x<mark>y</mark>");  // unbalanced markers stay balanced
    CHECK(search::html_escape("'") == "&#39;");
}

TEST_CASE("filters: category with its descendants, price range") {
    Shop s;
    s.seed();
    s.catalog.add("p7", "Shoe rack", "Holds shoes", 4000, "cat_kitchen");
    s.create_product("p7");

    auto in = [](const char* cat) { return [cat](SearchRequest& r) { r.category = cat; }; };
    CHECK(s.ids("shoe", in("cat_shoes")).size() == 2);
    CHECK(s.ids("shoe", in("cat_home")) == Ids{"p7"});  // cat_kitchen is under cat_home
    CHECK(s.ids("shoe", in("cat_kitchen")) == Ids{"p7"});
    try {
        s.find("shoe", in("cat_nope"));
        FAIL("an unknown category must be refused");
    } catch (const shop::Error& e) {
        CHECK(test::status_of(e) == 422);
    }

    auto ids = s.ids("shoe", [](SearchRequest& r) {
        r.min_price = 300;
        r.max_price = 5000;
    });
    std::sort(ids.begin(), ids.end());
    CHECK(ids == Ids{"p1", "p4", "p7"});
    CHECK(s.ids("shoe", [](SearchRequest& r) { r.min_price = 9001; }).empty());
}

TEST_CASE("facets and total count every match; pages follow the ranking") {
    Shop s;
    s.seed();
    s.catalog.add("p7", "Shoe rack", "Holds shoes", 4000, "cat_kitchen");
    s.create_product("p7");

    auto all = s.ids("shoe");
    REQUIRE(all.size() == 4);  // p1, p2, p4, p7
    auto first = s.find("shoe", [](SearchRequest& r) { r.limit = 3; });
    CHECK(first.total == 4);
    CHECK(first.items.size() == 3);
    REQUIRE(first.next_offset == 3);
    auto facets = first.facets["category"];
    REQUIRE(facets.size() == 2);  // p4 has no category and is in no facet
    CHECK(facets[0] == nlohmann::json{{"value", "cat_shoes"}, {"name", "Shoes"}, {"count", 2}});
    CHECK(facets[1] == nlohmann::json{{"value", "cat_kitchen"}, {"name", "Kitchen"}, {"count", 1}});

    auto second = s.find("shoe", [](SearchRequest& r) {
        r.limit = 3;
        r.offset = 3;
    });
    CHECK(second.total == 4);
    REQUIRE(second.items.size() == 1);
    CHECK_FALSE(second.next_offset);
    Ids paged;
    for (const auto& i : first.items) paged.push_back(i["id"]);
    paged.push_back(second.items[0]["id"]);
    CHECK(paged == all);
    CHECK(s.find("shoe", [](SearchRequest& r) { r.offset = 50; }).items.empty());
}

TEST_CASE("suggestions complete product names: distinct, active, at most the limit") {
    Shop s;
    s.seed();
    s.catalog.add("p8", "Running shoe", "The same name again", 5100);
    s.create_product("p8");
    auto names = s.suggest("sho");
    std::sort(names.begin(), names.end());
    CHECK(names == Ids{"Running shoe", "Shoelace pack"});
    CHECK(s.suggest("caf").empty());  // words of descriptions are not suggested
    CHECK(s.suggest("creme b") == Ids{"Crème brûlée torch"});
    CHECK(s.suggest("").empty());

    for (int i = 0; i < 15; ++i) {
        std::string id = "m" + std::to_string(i);
        s.catalog.add(id, "Mug number " + std::to_string(i), "");
        s.create_product(id);
    }
    CHECK(s.suggest("mug").size() == 10);
}

TEST_CASE("a fresh index catches up with products already in the event log") {
    Shop s(false);  // the module does not hear the events as they are written
    s.seed();
    CHECK(s.ids("shoe").empty());
    s.module.start();
    CHECK(s.ids("shoe").size() == 3);
    CHECK(s.ids("creme") == Ids{"p3"});
    s.module.start();  // nothing new: the same answers
    CHECK(s.ids("shoe").size() == 3);
}

namespace {

// A tee sold in Colour x Size, one variant per pair with sku TEE-<COLOUR>-<SIZE>; the
// navy one is archived.
api::ProductInfo& tee(test::FakeCatalog& catalog) {
    auto& p = catalog.add("t1", "Basic tee", "Soft cotton", 1500, "cat_home");
    p.sku = "TEE";
    p.options = nlohmann::json::parse(R"([{"name": "Colour", "values": ["Red", "Navy"]},
                                          {"name": "Size", "values": ["M", "L"]}])");
    p.variants = {{"t1-rm", "t1", "TEE-RED-M", {{"Colour", "Red"}, {"Size", "M"}}, 1500, 3, "active"},
                  {"t1-rl", "t1", "TEE-RED-L", {{"Colour", "Red"}, {"Size", "L"}}, 1700, 3, "active"},
                  {"t1-nm", "t1", "TEE-NAVY-M", {{"Colour", "Navy"}, {"Size", "M"}}, 1600, 3, "archived"}};
    p.price_max = 1700;
    return p;
}

}  // namespace

TEST_CASE("a variant's sku and an option value find the product; an archived variant's do not") {
    Shop s;
    s.seed();
    tee(s.catalog);
    s.create_product("t1");

    CHECK(s.ids("TEE-RED-M") == Ids{"t1"});
    CHECK(s.ids("tee-red-l") == Ids{"t1"});
    CHECK(s.ids("red") == Ids{"t1"});
    CHECK(s.ids("cotton red") == Ids{"t1"});  // a word of the description and a value
    CHECK(s.ids("SKU-p1") == Ids{"p1"});      // a product without options: its one variant's sku
    CHECK(s.ids("navy").empty());             // only an archived variant is navy
    CHECK(s.ids("TEE-NAVY-M").empty());
    CHECK(s.ids("colour").empty());           // option names are not searched
    CHECK(s.suggest("red").empty());          // suggestions complete names only
    auto page = s.find("red");
    REQUIRE(page.items.size() == 1);
    CHECK(page.items[0]["highlight"] == nlohmann::json{{"name", "Basic tee"}, {"description", "Soft cotton"}});

    // Archiving or bringing back a variant is a product.updated, seen on the next search.
    auto& p = s.catalog.by_id["t1"];
    p.variants[1].status = "archived";
    p.variants[2].status = "active";
    s.emit("product.updated", {{"product_id", "t1"}, {"version", 2}, {"fields", {"variants"}}});
    CHECK(s.ids("TEE-RED-L").empty());
    CHECK(s.ids("TEE-RED-M") == Ids{"t1"});
    CHECK(s.ids("navy") == Ids{"t1"});
}

TEST_CASE("facets count option values over every match and give the price range") {
    Shop s;
    s.seed();
    s.catalog.add_sized("s1", {"S", "M"}, 1000).name = "Wool sock";
    s.catalog.add_sized("s2", {"M", "L"}, 2000).name = "Cotton sock";
    auto& s3 = s.catalog.add_sized("s3", {"M"}, 500);
    s3.name = "Sock gift box";
    s3.options.push_back({{"name", "Colour"}, {"values", {"Red"}}});
    s3.variants[0].options["Colour"] = "Red";
    s3.variants.push_back({"s3-big", "s3", "BOX-BIG", {{"Size", "XL"}, {"Colour", "Red"}}, 2500, 0, "active"});
    s3.price_max = 2500;
    for (const auto* id : {"s1", "s2", "s3"}) s.create_product(id);

    auto page = s.find("sock", [](SearchRequest& r) { r.limit = 1; });
    CHECK(page.total == 3);
    CHECK(page.items.size() == 1);
    // Names in order; a value counts products (s3 has Red on two variants: one product).
    CHECK(page.facets["options"] == nlohmann::json::parse(R"([
        {"name": "Colour", "values": [{"value": "Red", "count": 1}]},
        {"name": "Size", "values": [{"value": "M", "count": 3}, {"value": "L", "count": 1},
                                    {"value": "S", "count": 1}, {"value": "XL", "count": 1}]}])"));
    CHECK(page.facets["price"] == nlohmann::json{{"min", 500}, {"max", 2500}});  // s3's cheapest and dearest

    // After the filters, like the category facet.
    page = s.find("sock", [](SearchRequest& r) { r.min_price = 1000; });
    CHECK(page.facets["options"] == nlohmann::json::parse(R"([
        {"name": "Size", "values": [{"value": "M", "count": 2}, {"value": "L", "count": 1},
                                    {"value": "S", "count": 1}]}])"));
    CHECK(page.facets["price"] == nlohmann::json{{"min", 1000}, {"max", 2000}});

    // Products without options are in the price range and in no option.
    page = s.find("shoe");
    CHECK(page.facets["options"] == nlohmann::json::array());
    CHECK(page.facets["price"] == nlohmann::json{{"min", 300}, {"max", 9000}});

    // Nothing matched: no options, no range.
    page = s.find("nothing");
    CHECK(page.total == 0);
    CHECK(page.facets == nlohmann::json{{"category", nlohmann::json::array()},
                                        {"options", nlohmann::json::array()},
                                        {"price", nullptr}});

    // An archived variant's value leaves the facet.
    s.catalog.by_id["s1"].variants[0].status = "archived";  // S
    s.emit("product.updated", {{"product_id", "s1"}, {"version", 2}, {"fields", {"variants"}}});
    page = s.find("sock");
    CHECK(page.facets["options"][1]["values"] == nlohmann::json::parse(R"([{"value": "M", "count": 3},
        {"value": "L", "count": 1}, {"value": "XL", "count": 1}])"));
}
