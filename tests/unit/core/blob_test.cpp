// Bytes through the database seam: BLOB on SQLite, BYTEA on PostgreSQL. Runs on whichever
// backend the suite runs on (SHOPD_TEST_DB).
#include <catch2/catch.hpp>

#include "test_db.hpp"

using namespace shop;

namespace {
db::Migrator files() {
    db::Migrator m;
    m.add("files", 1, "CREATE TABLE files (id TEXT PRIMARY KEY, data BLOB NOT NULL, note TEXT)",
          "CREATE TABLE files (id TEXT PRIMARY KEY, data BYTEA NOT NULL, note TEXT)");
    return m;
}
}  // namespace

TEST_CASE("bytes round-trip exactly, whatever they hold") {
    test::TestDb t(files());
    std::string every_byte;
    for (int i = 0; i < 256; ++i) every_byte.push_back(static_cast<char>(i));
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"every", every_byte + every_byte},
        {"empty", ""},
        {"nul", std::string("\0\0\xff\xfe", 4)},  // not text: no UTF-8 check may refuse it
        {"png", std::string("\x89PNG\r\n\x1a\n", 8)},
        {"big", std::string(300000, '\xab')},
    };
    t.db().write([&](db::Tx& tx) {
        for (const auto& [id, bytes] : cases)
            tx.exec("INSERT INTO files (id, data, note) VALUES (?, ?, ?)", id, db::Blob{bytes}, "n");
    });
    for (const auto& [id, bytes] : cases) {
        auto row = t.db().read([&](db::Conn& c) { return c.query_one("SELECT data, note FROM files WHERE id = ?", id); });
        REQUIRE(row);
        CHECK(row->blob(0) == bytes);
        CHECK(row->str(1) == "n");
        CHECK_THROWS(row->str(0));  // bytes are not text
    }
    // A blob is also a parameter like any other, e.g. in a comparison.
    auto n = t.db().read([&](db::Conn& c) {
        return c.query_one("SELECT COUNT(*) FROM files WHERE data = ?", db::Blob{std::string("\0\0\xff\xfe", 4)})->i64(0);
    });
    CHECK(n == 1);
}
