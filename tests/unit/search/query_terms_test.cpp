#include <catch2/catch.hpp>

#include "search/fts5_search_index.hpp"
#include "search/engine/query_terms.hpp"

using shop::search::Fts5SearchIndex;
using shop::search::query_words;
using Words = std::vector<std::string>;

TEST_CASE("words are runs of letters and digits; everything else separates them") {
    CHECK(*query_words("red shoe") == Words{"red", "shoe"});
    CHECK(*query_words("  Red   SHOE  ") == Words{"Red", "SHOE"});
    CHECK(*query_words("t-shirt 2XL") == Words{"t", "shirt", "2XL"});
    CHECK(*query_words("snake_case") == Words{"snake", "case"});
}

TEST_CASE("quotes and FTS5 operators are separators, never syntax") {
    CHECK(*query_words("\"red shoe\"") == Words{"red", "shoe"});
    CHECK(*query_words("red* OR -blue") == Words{"red", "OR", "blue"});
    CHECK(*query_words("NEAR(a b, 3)") == Words{"NEAR", "a", "b", "3"});
    CHECK(*query_words("name:shoe ^start (x AND y)") == Words{"name", "shoe", "start", "x", "AND", "y"});
    CHECK(*query_words("a\"b'c;d--e/*f*/") == Words{"a", "b", "c", "d", "e", "f"});
    CHECK(*query_words(std::string("nul\0byte", 8)) == Words{"nul", "byte"});
}

TEST_CASE("letters beyond ASCII stay in words; Unicode punctuation and symbols separate") {
    CHECK(*query_words("Crème brûlée") == Words{"Crème", "brûlée"});
    CHECK(*query_words("Ünïcødé straße") == Words{"Ünïcødé", "straße"});
    CHECK(*query_words("日本語 テスト") == Words{"日本語", "テスト"});
    CHECK(*query_words("«café» — thé…") == Words{"café", "thé"});
    CHECK(*query_words("😀 shoe ✓") == Words{"shoe"});
    CHECK(*query_words("µ ½") == Words{"µ", "½"});
}

TEST_CASE("an empty or all-punctuation query has no words") {
    CHECK(query_words("")->empty());
    CHECK(query_words("   ")->empty());
    CHECK(query_words("\"*-:()^\"")->empty());
    CHECK(query_words("— … «»")->empty());
}

TEST_CASE("invalid UTF-8 is refused") {
    CHECK_FALSE(query_words("\xff"));
    CHECK_FALSE(query_words("caf\xc3"));           // truncated
    CHECK_FALSE(query_words("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(query_words("\xed\xa0\x80"));      // surrogate
    CHECK(query_words("caf\xc3\xa9").has_value());  // é
}

TEST_CASE("the MATCH expression quotes every word and makes the last a prefix") {
    CHECK(Fts5SearchIndex::match_expression({}).empty());
    CHECK(Fts5SearchIndex::match_expression({"red"}) == "\"red\"*");
    CHECK(Fts5SearchIndex::match_expression({"red", "sho"}) == "\"red\" \"sho\"*");
    CHECK(Fts5SearchIndex::match_expression({"NEAR", "AND"}) == "\"NEAR\" \"AND\"*");
    CHECK(Fts5SearchIndex::match_expression({"a\"b"}) == "\"a\"\"b\"*");
    CHECK(Fts5SearchIndex::match_expression({"red", "sho"}, "name") == "{name} : (\"red\" \"sho\"*)");
}
