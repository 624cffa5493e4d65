#pragma once
// Failures a repository may need to tell apart. Backends translate their own error codes
// into these, so services never look at sqlite3 or libpq codes.
#include <stdexcept>
#include <string>

namespace shop::db {

class DbError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A UNIQUE, CHECK, NOT NULL or FOREIGN KEY constraint refused the statement.
class ConstraintError : public DbError {
public:
    using DbError::DbError;
};

// The database could not be reached or stayed locked past the write timeout: the request
// may be retried later (the gateway answers 503 database_unavailable with Retry-After).
class UnavailableError : public DbError {
public:
    using DbError::DbError;
};

}  // namespace shop::db
