#pragma once
// How the SQL indexes store a document's option values: a JSON array of [name, value]
// pairs, which SQLite's json_each and PostgreSQL's jsonb_array_elements unnest for the
// options facet with one GROUP BY, and which the in-memory index reads back from FTS5's
// change feed.
#include <string>
#include <string_view>
#include <vector>

#include "search_document.hpp"

namespace shop::search {

std::string option_values_json(const std::vector<OptionValue>& options);
// Malformed text (never written by option_values_json) reads as no options.
std::vector<OptionValue> option_values_from_json(std::string_view text);

}  // namespace shop::search
