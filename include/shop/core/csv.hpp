#pragma once
// RFC 4180 CSV for the product catalogue's export and import (text/csv).
//
// Reading, beyond the RFC:
// - one leading UTF-8 BOM is dropped (spreadsheets write one);
// - a record ends at CRLF or at LF. A CR outside quotes that is not followed by LF is an
//   error, not data: it is either a classic-Mac line ending or a stray control byte, and
//   taking it as data would silently glue lines into one field;
// - a line break at the very end does not start another record, but an empty line anywhere
//   else is a record of one empty field (as the RFC reads it). Callers that want to ignore
//   blank lines skip such records themselves, so record numbers stay physical;
// - bytes pass through untouched: the caller checks the encoding (core::storable_text).
// Parsing is one pass with no recursion; each byte is copied once, into its field.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace shop::csv {

// The input is not CSV. what() is only the reason: the caller puts `record` in its own terms
// (an import counts data rows, the header not included).
struct Error : std::runtime_error {
    Error(std::size_t at, const std::string& reason) : std::runtime_error(reason), record(at) {}
    // 1-based number of the record the fault starts in (the header is record 1; a record
    // holding quoted line breaks is one record over several lines).
    std::size_t record;
};

// Bounds on what one input may make us allocate; exceeding either is an Error.
// max_records counts every record, the header and blank ones included.
struct Limits {
    std::size_t max_records = 100000;
    std::size_t max_fields = 64;
};

// Every record has at least one field.
std::vector<std::vector<std::string>> parse(std::string_view text, Limits limits = {});

// Writing: a field is quoted only when it holds a comma, a quote, CR or LF, or begins or ends
// with a space (which other readers trim); quotes inside are doubled. Two more cases keep the
// output readable back as written: a field starting with a BOM at the start of `out`, and a
// record of one empty field (written "" so it does not read as a blank line to skip).
void append_field(std::string& out, std::string_view field);
// Fields joined by commas, ended by CRLF. A record needs at least one field: an empty vector
// writes a blank line, which reads back as one empty field.
void append_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace shop::csv
