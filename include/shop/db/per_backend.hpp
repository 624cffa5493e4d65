#pragma once
// A storage factory: one constructor per backend, and the database in use picks. Modules
// whose storage differs by backend (an index in memory over SQLite, tsvector on
// PostgreSQL) register both and never compare dialects themselves:
//
//   index_ = db::PerBackend<SearchIndex>()
//                .sqlite([&] { return std::make_unique<MemorySearchIndex>(rt.db, rt.scheduler); })
//                .postgres([] { return std::make_unique<PgSearchIndex>(); })
//                .make(rt.db);
//
// make() throws when the backend in use has no constructor, so a missing one shows at
// start-up, not at the first request.
#include <array>
#include <functional>
#include <memory>
#include <stdexcept>
#include <utility>

#include "shop/db/database.hpp"

namespace shop::db {

template <class T>
class PerBackend {
public:
    using Make = std::function<std::unique_ptr<T>()>;

    PerBackend& sqlite(Make f) { return on(Dialect::Sqlite, std::move(f)); }
    PerBackend& postgres(Make f) { return on(Dialect::Postgres, std::move(f)); }

    std::unique_ptr<T> make(const Database& db) const {
        const Make& f = makers_[slot(db.dialect())];
        if (!f) throw std::logic_error("PerBackend: no constructor for this database backend");
        return f();
    }

private:
    static std::size_t slot(Dialect d) { return d == Dialect::Postgres ? 1 : 0; }
    PerBackend& on(Dialect d, Make f) {
        makers_[slot(d)] = std::move(f);
        return *this;
    }

    std::array<Make, 2> makers_;
};

}  // namespace shop::db
