// The in-memory search index: its parts (terms, postings, folding) and the index as a
// whole against the FTS5 store it follows, on this process's writes and another's.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "search/engine/inverted_index.hpp"
#include "search/engine/posting_list.hpp"
#include "search/engine/query_terms.hpp"
#include "search/engine/term_dictionary.hpp"
#include "search/engine/text_terms.hpp"
#include "module_world.hpp"
#include "search/search_module.hpp"

using namespace shop;
using Ids = std::vector<std::string>;

namespace {

std::vector<std::string> terms_of(std::string_view text) {
    std::vector<std::string> out;
    search::for_each_term(text, [&](std::size_t, std::size_t, const std::string& t) { out.push_back(t); });
    return out;
}

// Runs what the module posts only when told to: a build still to come.
struct LaterScheduler : core::Scheduler {
    std::vector<std::function<void()>> posted;
    void every(std::chrono::milliseconds, std::function<void()>) override {}
    void post(std::function<void()> fn) override { posted.push_back(std::move(fn)); }
    void run() {
        auto fns = std::move(posted);
        posted.clear();
        for (auto& f : fns) f();
    }
};

Ids ids_of(const search::SearchPage& page) {
    Ids out;
    for (const auto& item : page.items) out.push_back(item["id"]);
    return out;
}

// A document without options, its highest price its lowest.
search::SearchDocument plain(std::optional<std::string> category, std::int64_t price, std::string name,
                             std::string description) {
    return {std::move(category), price, price, {}, std::move(name), std::move(description), {}};
}

std::map<std::string, std::int64_t> option_counts(const search::InvertedIndex::Result& r) {
    std::map<std::string, std::int64_t> out;
    for (const auto& c : r.options) out[c.option.name + ":" + c.option.value] = c.count;
    return out;
}

search::SearchRequest request(const std::string& q) {
    search::SearchRequest r;
    r.words = *search::query_words(q);
    return r;
}

}  // namespace

TEST_CASE("terms fold case and Latin, Greek and Cyrillic capitals; positions are the original bytes") {
    CHECK(terms_of("Crème BRÛLÉE, naïve Ærø") == std::vector<std::string>{"creme", "brulee", "naive", "æro"});
    CHECK(terms_of("ŁÓDŹ Straße") == std::vector<std::string>{"lodz", "straße"});
    CHECK(terms_of("ΑΘΗΝΑ Москва") == std::vector<std::string>{"αθηνα", "москва"});
    CHECK(terms_of("東京 tower-42") == std::vector<std::string>{"東京", "tower", "42"});
    CHECK(search::fold_word("CAFÉ") == "cafe");
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    search::for_each_term("¡Hé llo!", [&](std::size_t b, std::size_t e, const std::string&) { spans.emplace_back(b, e); });
    CHECK(spans == std::vector<std::pair<std::size_t, std::size_t>>{{2, 5}, {6, 9}});
    CHECK(terms_of(std::string("ab\xff" "cd")) == std::vector<std::string>{"ab", "cd"});  // a stray byte separates
}

TEST_CASE("posting lists keep every posting in order, inline or on the heap, through moves and shrinking") {
    search::PostingList small;
    small.add(7, 1, 0);
    CHECK(small.heap_bytes() == 0);
    search::PostingList big;
    std::vector<std::uint32_t> docs;
    for (std::uint32_t d = 0, step = 1; d < 5'000'000; d += step, step = step * 3 % 1000 + 1) docs.push_back(d);
    for (auto d : docs) big.add(d, d % 3, d % 300);
    CHECK(big.count() == docs.size());
    CHECK(big.heap_bytes() > 0);
    search::PostingList moved = std::move(big);
    moved.shrink();
    std::size_t i = 0;
    bool same = true;
    moved.each([&](std::uint32_t d, std::uint32_t n, std::uint32_t ds) {
        same = same && i < docs.size() && d == docs[i] && n == d % 3 && ds == d % 300;
        ++i;
    });
    CHECK(same);
    CHECK(i == docs.size());
    std::vector<std::uint32_t> seen;
    small.each([&](std::uint32_t d, std::uint32_t, std::uint32_t) { seen.push_back(d); });
    CHECK(seen == std::vector<std::uint32_t>{7});
}

TEST_CASE("the term dictionary finds terms exactly and by prefix, before and after the tail is merged") {
    search::TermDictionary dict;
    std::vector<std::uint32_t> ids;
    for (int i = 0; i < 5000; ++i) ids.push_back(dict.intern("w" + std::to_string(i)));
    CHECK(dict.intern("w42") == ids[42]);
    CHECK(dict.find("w4999") == ids[4999]);
    CHECK(dict.find("w5000") == search::TermDictionary::npos);
    CHECK(dict.term(ids[123]) == "w123");
    std::vector<std::string> found;
    dict.with_prefix("w499", [&](std::uint32_t id) { found.emplace_back(dict.term(id)); });
    std::sort(found.begin(), found.end());
    CHECK(found == std::vector<std::string>{"w499", "w4990", "w4991", "w4992", "w4993", "w4994", "w4995", "w4996",
                                            "w4997", "w4998", "w4999"});
    std::size_t all = 0;
    dict.with_prefix("", [&](std::uint32_t) { ++all; });
    CHECK(all == 5000);
}

TEST_CASE("the inverted index: replace, remove, prefixes, filters, facets and pages") {
    search::InvertedIndex ix;
    ix.put(1, plain("c1", 500, "Red cotton shirt", "A shirt of cotton"));
    ix.put(2, plain("c2", 900, "Blue cotton cap", "Cap"));
    ix.put(3, plain(std::nullopt, 100, "Copper copycat kettle", "Kettle of copper"));
    ix.put(4, plain("c1", 700, "Wool coat", "Warm"));
    auto docs = [](const search::InvertedIndex::Result& r) {
        std::vector<std::int64_t> out;
        for (const auto& h : r.hits) out.push_back(h.doc);
        std::sort(out.begin(), out.end());  // the ranking itself is checked against FTS5 below
        return out;
    };
    auto r = ix.search({"cotton"}, {}, 0, 10);
    CHECK(r.total == 2);
    CHECK(docs(r) == std::vector<std::int64_t>{1, 2});
    r = ix.search({"co"}, {}, 0, 10);
    CHECK(r.total == 4);
    CHECK(r.hits.size() == 4);  // doc 3 holds "copper" twice and "copycat": one hit, not three
    CHECK(r.hits.front().doc == 3);
    CHECK(ix.search({"cotton", "ca"}, {}, 0, 10).total == 1);
    CHECK(ix.search({"co", "cotton"}, {}, 0, 10).total == 0);  // only the last word is a prefix

    search::DocFilter f;
    f.categories = std::vector<std::string>{"c1"};
    CHECK(docs(ix.search({"co"}, f, 0, 10)) == std::vector<std::int64_t>{1, 4});
    f = {};
    f.max_price = 600;
    r = ix.search({"co"}, f, 0, 10);
    CHECK(r.total == 2);
    CHECK(r.facets.size() == 2);  // c1 and no category
    f.min_price = 200;
    CHECK(docs(ix.search({"co"}, f, 0, 10)) == std::vector<std::int64_t>{1});

    auto page1 = ix.search({"co"}, {}, 0, 2), page2 = ix.search({"co"}, {}, 2, 2);
    CHECK(page1.hits.size() == 2);
    CHECK(page2.hits.size() == 2);
    CHECK(page1.hits[1].score >= page2.hits[0].score);

    ix.put(2, plain("c2", 900, "Blue linen cap", "Cap"));
    CHECK(ix.search({"cotton"}, {}, 0, 10).total == 1);
    CHECK(ix.search({"linen"}, {}, 0, 10).total == 1);
    ix.remove(1);
    ix.remove(1);  // twice: nothing more happens
    CHECK(ix.search({"cotton"}, {}, 0, 10).total == 0);
    CHECK(ix.live() == 3);
    CHECK(ix.dead() == 2);
    CHECK(ix.suggest({"kettle"}, 5) == std::vector<std::int64_t>{3});
    CHECK(ix.suggest({"warm"}, 5).empty());  // names only
}

TEST_CASE("the inverted index searches the variants' text and counts option values and prices over every match") {
    using search::OptionValue;
    search::InvertedIndex ix;
    ix.put(1, {"c1", 1000, 1000, {{"Size", "S"}, {"Size", "M"}}, "Wool sock", "", "S M WS-S WS-M"});
    ix.put(2, {std::nullopt, 2000, 2500, {{"Size", "M"}, {"Size", "L"}}, "Cotton sock", "", "M L CS-M CS-L"});
    ix.put(3, plain("c1", 50, "Sun hat", "Keeps the sun off"));

    auto r = ix.search({"sock"}, {}, 0, 1);
    CHECK(r.total == 2);
    CHECK(r.hits.size() == 1);  // the page; the facets count every match
    CHECK(option_counts(r) == std::map<std::string, std::int64_t>{{"Size:L", 1}, {"Size:M", 2}, {"Size:S", 1}});
    REQUIRE(r.price);
    CHECK(*r.price == search::PriceRange{1000, 2500});
    // The counts are the thread's reused buffer: a second query starts from zero.
    CHECK(option_counts(ix.search({"sock"}, {}, 0, 1)) == option_counts(r));

    CHECK(ix.search({"cs", "l"}, {}, 0, 10).total == 1);  // a sku, split into words like any text
    auto m = ix.search({"m"}, {}, 0, 10);
    CHECK(m.total == 2);
    search::DocFilter cheap;
    cheap.max_price = 1500;  // the filter reads the lowest price
    r = ix.search({"sock"}, cheap, 0, 10);
    CHECK(r.total == 1);
    CHECK(option_counts(r) == std::map<std::string, std::int64_t>{{"Size:M", 1}, {"Size:S", 1}});
    CHECK(*r.price == search::PriceRange{1000, 1000});

    // A replaced document counts its new values only; a removed one none.
    ix.put(2, {std::nullopt, 2000, 2000, {{"Size", "M"}}, "Cotton sock", "", "M CS-M"});
    CHECK(option_counts(ix.search({"sock"}, {}, 0, 10)) ==
          std::map<std::string, std::int64_t>{{"Size:M", 2}, {"Size:S", 1}});
    CHECK(ix.search({"cs", "l"}, {}, 0, 10).total == 0);
    ix.remove(1);
    CHECK(option_counts(ix.search({"sock"}, {}, 0, 10)) == std::map<std::string, std::int64_t>{{"Size:M", 1}});

    auto none = ix.search({"nothing"}, {}, 0, 10);
    CHECK(none.options.empty());
    CHECK_FALSE(none.price);
    CHECK(ix.search({"hat"}, {}, 0, 10).options.empty());  // a match without options counts in no option
}

TEST_CASE("a word in the variants' text weighs as much as one in the description") {
    search::InvertedIndex ix;
    ix.put(1, {std::nullopt, 1, 1, {}, "Alpha", "gadget", ""});
    ix.put(2, {std::nullopt, 1, 1, {}, "Beta", "", "gadget"});
    ix.put(3, {std::nullopt, 1, 1, {}, "Gadget", "", ""});
    auto r = ix.search({"gadget"}, {}, 0, 10);
    REQUIRE(r.hits.size() == 3);
    CHECK(r.hits[0].doc == 3);  // the name weighs more
    CHECK(r.hits[1].score == Approx(r.hits[2].score));
    CHECK(r.hits[0].score > r.hits[1].score);
}

// SQLite only: PostgreSQL searches its own tsvector index, not FTS5 then memory.
TEST_CASE("before its background build the index answers from FTS5, and both rank alike", "[sqlite]") {
    test::require_sqlite();
    test::ModuleWorld<search::SearchModule> w;
    LaterScheduler later;
    Interfaces ifs;
    ifs.offer<api::Catalog>("test", w.catalog);
    Runtime rt{w.t.config(), w.t.db(), w.t.bus(), w.t.metrics(), later, w.idem, ifs};
    search::SearchModule module(rt);  // a second module on the same database
    w.catalog.add("p1", "Running shoe", "Light trainers for the road", 5000);
    w.catalog.add("p2", "Leather boots", "Warm boots that go well with any shoe polish", 9000);
    w.catalog.add("p3", "Shoelace pack", "Spare laces for a shoe", 300);
    w.catalog.add("p4", "Shoe horn", "Shoe shoe shoe", 300);
    // With variants: their skus and option values are searched and counted too.
    w.catalog.add_sized("p5", {"40", "41"}, 6000).name = "Trail shoe";
    auto& tee = w.catalog.add_sized("p6", {"M", "L"}, 1500);
    tee.name = "Red shoe bag";
    tee.price_max = 1900;
    tee.variants[1].price = 1900;
    tee.variants.push_back({"p6-XL", "p6", "SKU-p6-XL", {{"Size", "XL"}}, 2100, 0, "archived"});
    for (const auto* id : {"p1", "p2", "p3", "p4", "p5", "p6"}) w.create_product(id);
    module.start();
    CHECK(later.posted.empty());  // the builder is a background job, started where search is served
    module.jobs(later);
    REQUIRE(later.posted.size() == 1);
    const std::vector<std::string> queries{"shoe", "sku p", "41", "shoe m", "xl", "s"};
    std::vector<search::SearchPage> from_fts5;
    for (const auto& q : queries) from_fts5.push_back(module.search().search(request(q)));
    auto suggested_by_fts5 = module.search().suggest(*search::query_words("shoe"), 10);
    later.run();
    for (std::size_t k = 0; k < queries.size(); ++k) {
        INFO(queries[k]);
        auto from_memory = module.search().search(request(queries[k]));
        CHECK(ids_of(from_fts5[k]) == ids_of(from_memory));
        CHECK(from_fts5[k].total == from_memory.total);
        CHECK(from_fts5[k].facets == from_memory.facets);
        for (std::size_t i = 0; i < from_memory.items.size() && i < from_fts5[k].items.size(); ++i) {
            CHECK(from_fts5[k].items[i]["highlight"] == from_memory.items[i]["highlight"]);
            CHECK(from_memory.items[i]["score"].get<double>() ==
                  Approx(from_fts5[k].items[i]["score"].get<double>()).epsilon(1e-6));
        }
    }
    CHECK(ids_of(from_fts5[0]).size() == 6);
    CHECK(from_fts5[1].total == 6);  // every product's sku: SKU-p1 ... SKU-p6-L
    CHECK(ids_of(from_fts5[2]) == Ids{"p5"});
    CHECK(from_fts5[3].total == 1);  // p6 by its size M: no other shoe has a word starting with m
    CHECK(from_fts5[4].total == 0);  // XL is only an archived variant's
    CHECK(from_fts5[0].facets["options"] == nlohmann::json::parse(R"([{"name": "Size", "values": [
              {"value": "40", "count": 1}, {"value": "41", "count": 1}, {"value": "L", "count": 1},
              {"value": "M", "count": 1}]}])"));
    CHECK(from_fts5[0].facets["price"] == nlohmann::json{{"min", 300}, {"max", 9000}});
    CHECK(suggested_by_fts5.size() == 5);
    CHECK(module.search().suggest(*search::query_words("shoe"), 10) == suggested_by_fts5);
}

TEST_CASE("the index follows writes made by another process on the same file") {
    test::ModuleWorld<search::SearchModule> here;
    here.catalog.add("p1", "Walnut desk", "Solid walnut", 30000);
    here.create_product("p1");
    CHECK(ids_of(here.module.search().search(request("walnut"))) == Ids{"p1"});

    // Another replica: its own connections, bus and module, on the same SQLite file.
    core::Config config = here.t.config();
    core::Metrics metrics;
    events::Bus bus;
    auto db = db::open_backend(config, metrics, bus);
    test::NoScheduler sched;
    core::Idempotency idem{*db};
    test::FakeCatalog& catalog = here.catalog;  // the catalogue both replicas read
    Interfaces ifs;
    ifs.offer<api::Catalog>("test", catalog);
    Runtime rt{config, *db, bus, metrics, sched, idem, ifs};
    search::SearchModule there(rt);
    there.subscribe(bus);
    auto write_there = [&](const auto& event) { db->write([&](db::Tx& tx) { tx.emit(event); }); };

    catalog.add("p2", "Walnut shelf", "Oiled walnut", 9000);
    write_there(events::ProductCreated{"p2", std::nullopt, 9000, "USD", 0});
    CHECK(ids_of(here.module.search().search(request("walnut"))).size() == 2);
    catalog.by_id["p1"].name = "Oak desk";
    catalog.by_id["p1"].description = "Solid oak";
    write_there(events::ProductUpdated{"p1", 2, {"name", "description"}});
    CHECK(ids_of(here.module.search().search(request("walnut"))) == Ids{"p2"});
    CHECK(ids_of(here.module.search().search(request("oak"))) == Ids{"p1"});
    catalog.by_id["p2"].status = "archived";
    write_there(events::ProductArchived{"p2"});
    CHECK(here.module.search().search(request("walnut")).total == 0);
    CHECK(here.module.search().suggest(*search::query_words("wal"), 10).empty());
}
