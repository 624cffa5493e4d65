#pragma once
// Each module owns its tables and declares their migrations here, numbered from 1 within
// the module. Numbers are the same on every backend; the SQL may differ where the dialects
// do. Applied at start-up, each in its own transaction, exactly once per database, even
// when several replicas start together.
#include <string>
#include <vector>

namespace shop::db {

struct Migration {
    std::string module;
    int version;
    std::string sqlite_sql;
    std::string postgres_sql;  // empty: same as sqlite_sql
};

class Migrator {
public:
    void add(std::string module, int version, std::string sqlite_sql, std::string postgres_sql = {});
    const std::vector<Migration>& migrations() const { return migrations_; }

private:
    std::vector<Migration> migrations_;
};

}  // namespace shop::db
