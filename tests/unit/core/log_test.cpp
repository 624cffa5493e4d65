#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "shop/core/log.hpp"

using namespace shop;

TEST_CASE("a log record is one line of JSON whatever its values hold", "[log]") {
    const std::string hostile = "a\"b\\c\nd\re\tf\x01g}{\"level\":\"error\"";
    const std::string not_utf8 = "caf\xc3 \xff\xfe end";
    auto line = log::record(log::Level::Info, "request " + hostile,
                            {{"route", hostile}, {"client", not_utf8}, {"status", 200}});
    REQUIRE(line.back() == '\n');
    CHECK(line.find('\n') == line.size() - 1);
    auto j = nlohmann::json::parse(line);  // throws on anything that is not one valid JSON text
    CHECK(j["level"] == "info");
    CHECK(j["msg"] == "request " + hostile);
    CHECK(j["route"] == hostile);
    CHECK(j["status"] == 200);
    // bytes that are not UTF-8 are replaced, so the line stays valid UTF-8 for log shippers
    CHECK(j["client"] == "caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd end");
}

TEST_CASE("a log record keeps ts, level and msg first and the fields in their order", "[log]") {
    auto line = log::record(log::Level::Warn, "m", {{"zeta", 1}, {"alpha", 2}});
    auto ts = line.find("\"ts\""), level = line.find("\"level\""), msg = line.find("\"msg\"");
    auto zeta = line.find("\"zeta\""), alpha = line.find("\"alpha\"");
    CHECK((ts < level && level < msg && msg < zeta && zeta < alpha));
    CHECK(nlohmann::json::parse(log::record(log::Level::Error, "plain", nlohmann::ordered_json()))["msg"] == "plain");
}
