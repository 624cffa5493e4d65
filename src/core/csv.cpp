#include "shop/core/csv.hpp"

namespace shop::csv {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Appends one field's text to `field` from text[i] on and returns the index of what ends it
// (a comma, CR, LF, or the end). Each byte is scanned once; runs between quotes are
// appended whole rather than byte by byte.
std::size_t read_field(std::string_view text, std::size_t i, std::string& field, std::size_t record) {
    const std::size_t n = text.size();
    if (i < n && text[i] == '"') {
        ++i;
        for (;;) {
            const std::size_t q = text.find('"', i);
            if (q == std::string_view::npos) throw Error(record, "unterminated quoted field");
            field.append(text.substr(i, q - i));
            i = q + 1;
            if (i < n && text[i] == '"') {  // "" is one quote; the field goes on
                field += '"';
                ++i;
                continue;
            }
            if (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
                throw Error(record, "a closing quote must be followed by a comma or a line break");
            return i;
        }
    }
    std::size_t end = text.find_first_of(",\"\r\n", i);
    if (end == std::string_view::npos) end = n;
    if (end < n && text[end] == '"')
        throw Error(record, "a quote inside an unquoted field (quote the whole field and double the quote)");
    field.append(text.substr(i, end - i));
    return end;
}

}  // namespace

std::vector<std::vector<std::string>> parse(std::string_view text, Limits limits) {
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    std::vector<std::vector<std::string>> records;
    const std::size_t n = text.size();
    std::size_t i = 0;
    // A record starts only where there is text left, so a final line break adds none.
    while (i < n) {
        const std::size_t record = records.size() + 1;
        if (records.size() >= limits.max_records)
            throw Error(record, "more than " + std::to_string(limits.max_records) + " records");
        auto& fields = records.emplace_back();
        for (;;) {
            if (fields.size() >= limits.max_fields)
                throw Error(record, "more than " + std::to_string(limits.max_fields) + " fields in a record");
            i = read_field(text, i, fields.emplace_back(), record);
            if (i == n) break;
            if (text[i] == ',') {
                ++i;  // a comma at the very end still makes an empty last field
                continue;
            }
            if (text[i] == '\n') {
                ++i;
                break;
            }
            // read_field stops only at a comma, CR, LF or the end.
            if (i + 1 < n && text[i + 1] == '\n') {
                i += 2;
                break;
            }
            throw Error(record, "a CR not followed by LF outside quotes (line breaks are CRLF or LF)");
        }
    }
    return records;
}

void append_field(std::string& out, std::string_view field) {
    const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                       (!field.empty() && (field.front() == ' ' || field.back() == ' ')) ||
                       (out.empty() && field.substr(0, kBom.size()) == kBom);  // parse would drop it
    if (!quote) {
        out.append(field);
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

void append_record(std::string& out, const std::vector<std::string>& fields) {
    if (fields.size() == 1 && fields[0].empty()) {
        out += "\"\"\r\n";
    } else {
        for (std::size_t k = 0; k < fields.size(); ++k) {
            if (k > 0) out += ',';
            append_field(out, fields[k]);
        }
        out += "\r\n";
    }
}

}  // namespace shop::csv
