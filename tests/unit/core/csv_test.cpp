#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "shop/core/csv.hpp"

namespace csv = shop::csv;
using Records = std::vector<std::vector<std::string>>;

namespace {
const std::string kBom = "\xEF\xBB\xBF";
}  // namespace

namespace {
struct Fault {
    std::size_t record = 0;  // 0: parse did not throw
    std::string what;
};

Fault fault_of(std::string_view text, csv::Limits limits = {}) {
    try {
        csv::parse(text, limits);
    } catch (const csv::Error& e) {
        return {e.record, e.what()};
    }
    return {};
}

std::string write(const Records& records) {
    std::string out;
    for (const auto& r : records) csv::append_record(out, r);
    return out;
}
}  // namespace

TEST_CASE("quoted fields hold commas and doubled quotes", "[csv]") {
    CHECK(csv::parse("sku,name\r\nA-1,\"Socks, warm\"\r\n") == Records{{"sku", "name"}, {"A-1", "Socks, warm"}});
    CHECK(csv::parse("\"say \"\"hi\"\"\",\"\"\"\"\n") == Records{{"say \"hi\"", "\""}});
}

TEST_CASE("quoted fields hold CRLF and LF, and a record spans its lines", "[csv]") {
    CHECK(csv::parse("a,\"line 1\r\nline 2\"\r\nb,\"x\ny\"\n") == Records{{"a", "line 1\r\nline 2"}, {"b", "x\ny"}});
    CHECK(csv::parse("\"lone\rCR\"\n") == Records{{"lone\rCR"}});
    // Record numbers count records, not lines: the faulty record below starts on line 4.
    auto f = fault_of("h\n\"two\nlines\"\nbad\"\n");
    CHECK(f.record == 3);
}

TEST_CASE("empty fields, an empty quoted field and a trailing comma", "[csv]") {
    CHECK(csv::parse("a,,c\n") == Records{{"a", "", "c"}});
    CHECK(csv::parse("a,\"\",c\n") == Records{{"a", "", "c"}});
    CHECK(csv::parse("a,b,\n") == Records{{"a", "b", ""}});
    CHECK(csv::parse("a,b,") == Records{{"a", "b", ""}});
    CHECK(csv::parse(",\n") == Records{{"", ""}});
    CHECK(csv::parse("\"\"") == Records{{""}});
}

TEST_CASE("CRLF and LF both end records; a final line break adds no record", "[csv]") {
    const Records want{{"a", "b"}, {"c", "d"}};
    CHECK(csv::parse("a,b\r\nc,d\r\n") == want);
    CHECK(csv::parse("a,b\nc,d\n") == want);
    CHECK(csv::parse("a,b\r\nc,d\n") == want);
    CHECK(csv::parse("a,b\nc,d") == want);  // no final line break
    CHECK(csv::parse("a,b\r\nc,d") == want);
    CHECK(csv::parse("").empty());
    CHECK(csv::parse("\n") == Records{{""}});
}

TEST_CASE("an empty line in the middle is a record of one empty field", "[csv]") {
    CHECK(csv::parse("a\n\nb\n") == Records{{"a"}, {""}, {"b"}});
    CHECK(csv::parse("a\r\n\r\n") == Records{{"a"}, {""}});
}

TEST_CASE("one leading UTF-8 BOM is dropped, nothing else", "[csv]") {
    CHECK(csv::parse(kBom + "sku,name\n") == Records{{"sku", "name"}});
    CHECK(csv::parse(kBom).empty());
    CHECK(csv::parse(kBom + kBom + "x") == Records{{kBom + "x"}});
    CHECK(csv::parse("a," + kBom + "b") == Records{{"a", kBom + "b"}});
}

TEST_CASE("non-ASCII UTF-8 and other bytes pass through untouched", "[csv]") {
    const std::string creme = "Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9 \xF0\x9F\x8D\xAE";
    CHECK(csv::parse(creme + ",\"\xE2\x82\xAC 5, \xE6\x97\xA5\xE6\x9C\xAC\"\n") ==
          Records{{creme, "\xE2\x82\xAC 5, \xE6\x97\xA5\xE6\x9C\xAC"}});
    CHECK(csv::parse(std::string("a\0b,\xFF\n", 6)) == Records{{std::string("a\0b", 3), "\xFF"}});
    CHECK(csv::parse(" padded , x") == Records{{" padded ", " x"}});  // spaces are data
}

TEST_CASE("malformed input names the record it starts in", "[csv]") {
    auto f = fault_of("h\nok\n\"open,\nstill open\nand more\n");
    CHECK(f.record == 3);
    CHECK(f.what == "unterminated quoted field");
    CHECK(fault_of("\"a\"\"").record == 1);  // the last quote is an escaped one

    f = fault_of("h\nok\nab\"c\n");
    CHECK(f.record == 3);
    CHECK_THAT(f.what, Catch::Contains("quote inside an unquoted field"));
    CHECK(fault_of(" \"x\"\n").record == 1);  // no spaces before an opening quote

    f = fault_of("h\n\"a\"b,c\n");
    CHECK(f.record == 2);
    CHECK_THAT(f.what, Catch::Contains("closing quote"));
    CHECK(fault_of("\"a\" ,b").record == 1);

    f = fault_of("h\r\na\rb\r\n");
    CHECK(f.record == 2);
    CHECK_THAT(f.what, Catch::Contains("CR not followed by LF"));
    CHECK(fault_of("a\r").record == 1);
    CHECK(fault_of("\"a\"\r").record == 1);
}

TEST_CASE("limits on records and fields", "[csv]") {
    const csv::Limits limits{3, 2};
    CHECK(csv::parse("h1,h2\n1,2\n3,4\n", limits).size() == 3);
    auto f = fault_of("h1,h2\n1,2\n3,4\n5,6\n", limits);
    CHECK(f.record == 4);
    CHECK(f.what == "more than 3 records");
    CHECK(fault_of("h\n\n\nx", limits).record == 4);  // blank records count

    f = fault_of("h1,h2\n1,2,3\n", limits);
    CHECK(f.record == 2);
    CHECK(f.what == "more than 2 fields in a record");
    CHECK(fault_of("a,b,\n", limits).record == 1);  // a trailing comma makes a field
    CHECK(fault_of("a,\"b\nc\",d\n", limits).record == 1);

    CHECK(fault_of("x", csv::Limits{0, 1}).record == 1);
    CHECK(csv::parse("", csv::Limits{0, 0}).empty());
}

TEST_CASE("writing quotes only the fields that need it", "[csv]") {
    std::string out;
    csv::append_record(out,
                       {"plain", "a,b", "say \"hi\"", "l1\r\nl2", "l\n", "cr\r", " lead", "trail ", "in side", ""});
    CHECK(out == "plain,\"a,b\",\"say \"\"hi\"\"\",\"l1\r\nl2\",\"l\n\",\"cr\r\",\" lead\",\"trail \",in side,\r\n");

    out.clear();
    csv::append_record(out, {""});
    CHECK(out == "\"\"\r\n");  // not a blank line, which importers skip
    csv::append_record(out, {"", ""});
    CHECK(out == "\"\"\r\n,\r\n");

    out.clear();
    csv::append_field(out, kBom + "x");  // would read back as a BOM to drop
    CHECK(out == "\"" + kBom + "x\"");
    csv::append_field(out, kBom + "x");  // not at the start: plain
    CHECK(out == "\"" + kBom + "x\"" + kBom + "x");
}

TEST_CASE("what is written reads back as it was", "[csv]") {
    const Records tricky{
        {"sku", "name", "description", "price"},
        {"A-1", "Socks, warm", "say \"hi\"", "12.99"},
        {"", "", "", ""},
        {""},
        {"\"", "\"\"", ",", "\r\n"},
        {" both ", "\n", "\r", "a\r\nb\nc\rd"},
        {kBom, "Cr\xC3\xA8me \xF0\x9F\x8D\xAE", std::string("nul\0", 4), "\xFF\xFE"},
    };
    for (std::size_t k = 0; k < tricky.size(); ++k) {
        // Each record alone, where it is the first thing written (the BOM case) and the last.
        CHECK(csv::parse(write({tricky[k]})) == Records{tricky[k]});
    }
    CHECK(csv::parse(write(tricky)) == tricky);
    // A record starting with a BOM field, at the start of the output.
    CHECK(csv::parse(write({{kBom + "sku", "x"}})) == Records{{kBom + "sku", "x"}});
}
