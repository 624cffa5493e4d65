// docs/events.md is the event log's public description: each registered event needs its
// row there, naming every field it carries (nested ones too), and every row must be an
// event that exists.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "samples.hpp"

using namespace shop;
using nlohmann::json;

namespace {

// type -> the row's data cell, from the table rows "| `type` | emitted by | data |".
std::map<std::string, std::string> documented_events() {
    std::ifstream in(SHOP_SOURCE_DIR "/docs/events.md");
    REQUIRE(in);
    std::map<std::string, std::string> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, '|');) cells.push_back(cell);
        if (cells.size() < 4 || !cells[0].empty()) continue;
        std::smatch m;
        static const std::regex type_cell(R"(^\s*`([a-z_]+\.[a-z_]+)`\s*$)");
        if (std::regex_match(cells[1], m, type_cell)) rows[m[1].str()] = cells[3];
    }
    return rows;
}

bool names_word(const std::string& text, const std::string& word) {
    return std::regex_search(text, std::regex("(^|[^a-z_])" + word + "([^a-z_]|$)"));
}

// Top-level fields must appear as `name`; the fields of objects inside arrays as words.
void missing_fields(const json& data, const std::string& cell, const std::string& type,
                    std::vector<std::string>& missing) {
    for (const auto& [key, value] : data.items()) {
        if (cell.find("`" + key + "`") == std::string::npos) missing.push_back(type + ": field " + key);
        if (!value.is_array()) continue;
        std::set<std::string> inner;
        for (const auto& element : value)
            if (element.is_object())
                for (const auto& field : element.items()) inner.insert(field.key());
        for (const auto& name : inner)
            if (!names_word(cell, name)) missing.push_back(type + ": field " + key + "[]." + name);
    }
}

}  // namespace

TEST_CASE("docs/events.md lists every event with every field it carries") {
    const auto rows = documented_events();
    std::vector<std::string> missing;
    events::AllEvents::for_each([&](auto type) {
        using E = typename decltype(type)::type;
        const std::string name(E::kType);
        auto row = rows.find(name);
        if (row == rows.end()) {
            missing.push_back(name + ": no row");
            return;
        }
        missing_fields(json(test::sample(type).event), row->second, name, missing);
    });
    CHECK(missing == std::vector<std::string>{});
}

TEST_CASE("docs/events.md documents no event type that does not exist") {
    std::vector<std::string> unknown;
    for (const auto& [type, cell] : documented_events())
        if (std::find(events::kAllTypes.begin(), events::kAllTypes.end(), type) == events::kAllTypes.end())
            unknown.push_back(type);
    CHECK(unknown == std::vector<std::string>{});
}
