// CSV (product catalogue import): any bytes are records within the limits or a csv::Error
// naming a record that exists, never another exception; and what parses, written back,
// parses to the same records (so an export always re-imports), and writing is canonical.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "shop/core/csv.hpp"

namespace {

std::string write(const std::vector<std::vector<std::string>>& records) {
    std::string out;
    for (const auto& r : records) shop::csv::append_record(out, r);
    return out;
}

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "FUZZ FAILURE: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    // Small limits, so the fuzzer reaches them as well as the syntax.
    const shop::csv::Limits limits{50, 8};
    std::vector<std::vector<std::string>> records;
    try {
        records = shop::csv::parse(text, limits);
    } catch (const shop::csv::Error& e) {
        // Every record starts after a line break (or at the start), so there are at most
        // that many + 1; an error names one of them.
        auto breaks = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n') +
                                               std::count(text.begin(), text.end(), '\r'));
        if (e.record < 1 || e.record > breaks + 1) fail("error names a record that is not there");
        if (std::string_view(e.what()).empty()) fail("error without a message");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parse threw something other than csv::Error: %s\n", e.what());
        std::abort();
    }
    if (records.size() > limits.max_records) fail("more records than the limit");
    std::size_t bytes = 0;
    for (const auto& r : records) {
        if (r.empty() || r.size() > limits.max_fields) fail("a record with no fields or too many");
        for (const auto& f : r) bytes += f.size();
    }
    if (bytes > size) fail("fields hold more bytes than the input");

    const std::string written = write(records);
    std::vector<std::vector<std::string>> again;
    try {
        again = shop::csv::parse(written, limits);
    } catch (const shop::csv::Error& e) {
        std::fprintf(stderr, "what we wrote does not parse: record %zu: %s\n", e.record, e.what());
        std::abort();
    }
    if (again != records) fail("what we wrote parses to other records");
    if (write(again) != written) fail("writing the same records twice differs");
    return 0;
}
