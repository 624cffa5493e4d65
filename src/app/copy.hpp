#pragma once
// `shopd copy --from SRC --to DST`: a whole shop (every table, the event log included)
// from one database to another, SQLite file or PostgreSQL URL, in either direction.
#include <string>

#include "app/app.hpp"

namespace shop::app {

// Migrates both sides to this binary's schema, refuses a target holding any shop data,
// copies every table inside one transaction on the target (an interrupted copy leaves it
// empty), checks the row counts before committing, and leaves the search index to be
// rebuilt from the event log when shopd next starts on the target. Returns the exit status.
int copy_shop(const core::Config& base, const std::string& from, const std::string& to, Compose compose);

}  // namespace shop::app
