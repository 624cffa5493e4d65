#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "shop/db/per_backend.hpp"

using namespace shop;

namespace {

// A database that is only a dialect: PerBackend asks nothing else.
struct DialectOnly : db::Database {
    explicit DialectOnly(db::Dialect d) : d_(d) {}
    db::Dialect dialect() const override { return d_; }
    bool healthy() override { return true; }

protected:
    void run_read(const std::function<void(db::Conn&)>&) override {}
    void run_write(const std::function<void(db::Tx&)>&) override {}

private:
    db::Dialect d_;
};

struct Store {
    virtual ~Store() = default;
    virtual std::string kind() const = 0;
};
struct FileStore : Store {
    std::string kind() const override { return "file"; }
};
struct ServerStore : Store {
    std::string kind() const override { return "server"; }
};

db::PerBackend<Store> both() {
    db::PerBackend<Store> f;
    f.sqlite([] { return std::make_unique<FileStore>(); }).postgres([] { return std::make_unique<ServerStore>(); });
    return f;
}

}  // namespace

TEST_CASE("PerBackend builds the implementation registered for the backend in use") {
    CHECK(both().make(DialectOnly(db::Dialect::Sqlite))->kind() == "file");
    CHECK(both().make(DialectOnly(db::Dialect::Postgres))->kind() == "server");
}

TEST_CASE("PerBackend refuses a backend with no constructor") {
    db::PerBackend<Store> only_sqlite;
    only_sqlite.sqlite([] { return std::make_unique<FileStore>(); });
    CHECK(only_sqlite.make(DialectOnly(db::Dialect::Sqlite))->kind() == "file");
    CHECK_THROWS_AS(only_sqlite.make(DialectOnly(db::Dialect::Postgres)), std::logic_error);
}
