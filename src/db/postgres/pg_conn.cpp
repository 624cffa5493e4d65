#include "db/postgres/pg_conn.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>


namespace shop::db::postgres {

namespace {

constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// BYTEA in text results is "\x" and two hex digits a byte (bytea_output = hex, the
// default since PostgreSQL 9.0).
std::string bytea_from_text(std::string_view v) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    if (!starts_with(v, "\\x") || v.size() % 2 != 0)
        throw DbError("a BYTEA column came back in a form other than hex; set bytea_output = hex");
    std::string out;
    out.reserve((v.size() - 2) / 2);
    for (std::size_t i = 2; i + 1 < v.size(); i += 2) {
        int hi = nibble(v[i]), lo = nibble(v[i + 1]);
        if (hi < 0 || lo < 0) throw DbError("a BYTEA column holds a character that is not hex");
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
}

Value column_value(const PGresult* res, int row, int col) {
    if (PQgetisnull(res, row, col)) return nullptr;
    const char* text = PQgetvalue(res, row, col);
    const int len = PQgetlength(res, row, col);
    std::string_view v(text, static_cast<std::size_t>(len));
    switch (PQftype(res, col)) {
        case kInt2:
        case kInt4:
        case kInt8:
        case kOid: {
            std::int64_t out = 0;
            std::from_chars(v.data(), v.data() + v.size(), out);
            return out;
        }
        case kBool:
            return std::int64_t{v == "t" ? 1 : 0};
        case kNumeric: {
            // SUM(bigint) is numeric: integral values stay integers.
            if (v.find_first_of(".eEN") == std::string_view::npos) {
                std::int64_t out = 0;
                auto r = std::from_chars(v.data(), v.data() + v.size(), out);
                if (r.ec == std::errc{}) return out;
            }
            return std::strtod(std::string(v).c_str(), nullptr);
        }
        case kFloat4:
        case kFloat8:
            return std::strtod(std::string(v).c_str(), nullptr);
        case kBytea:
            return Blob{bytea_from_text(v)};
        default:
            return std::string(v);
    }
}

}  // namespace

std::string rewrite_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char ch = sql[i];
        if (ch == '\'' || ch == '"') {
            std::size_t end = sql.find(ch, i + 1);
            // A doubled quote inside a literal is found as the end of one and the start of
            // the next literal, which comes out the same.
            if (end == std::string_view::npos) end = sql.size() - 1;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (ch == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            std::size_t end = sql.find('\n', i);
            if (end == std::string_view::npos) end = sql.size() - 1;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (ch == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            std::size_t end = sql.find("*/", i + 2);
            end = end == std::string_view::npos ? sql.size() - 1 : end + 1;
            out.append(sql.substr(i, end - i + 1));
            i = end;
        } else if (ch == '?') {
            out += '$';
            out += std::to_string(++n);
        } else {
            out += ch;
        }
    }
    return out;
}

std::string redact(std::string_view conninfo) {
    // libpq's own parser reads the string (URL or key=value) exactly as connecting will, so
    // no spelling of the password (quoted, escaped, in the URL or its query) slips through.
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(std::string(conninfo).c_str(), &error);
    if (error) PQfreemem(error);
    if (!options) return "(a connection string libpq cannot read)";
    std::string out;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val || !*o->val) continue;
        if (!out.empty()) out += ' ';
        out += o->keyword;
        out += '=';
        const bool secret = std::string_view(o->keyword) == "password" || (o->dispchar && *o->dispchar == '*');
        out += secret ? "***" : o->val;
    }
    PQconninfoFree(options);
    return out;
}

Connection::Connection(const std::string& conninfo) {
    // Our defaults first, then the operator's string, whose values win.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"5", "shopd", conninfo.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
        if (conn_) PQfinish(conn_);
        conn_ = nullptr;
        // libpq's messages name host, port and user, never the password.
        throw UnavailableError(fmt::format("cannot connect to {}: {}", redact(conninfo), msg));
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() {
    if (conn_) PQfinish(conn_);
}

void Connection::fail(PGresult* res, std::string_view sql) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string code = state ? state : "";
    std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    if (msg.empty()) msg = PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (res) PQclear(res);
    if (PQstatus(conn_) != CONNECTION_OK || code.empty() || starts_with(code, "08") || starts_with(code, "57P") ||
        starts_with(code, "53")) {
        if (PQstatus(conn_) != CONNECTION_OK || code.empty() || !starts_with(code, "53")) broken_ = true;
        throw UnavailableError(fmt::format("database unavailable: {}", msg));
    }
    if (code == "40001" || code == "40P01") throw RetryError(msg);
    if (code == "23505") throw UniqueViolation(msg);
    if (starts_with(code, "23")) throw ConstraintError(msg);
    throw DbError(fmt::format("{} [{}] [{}]", msg, code, sql.substr(0, 160)));
}

PGresult* Connection::run(std::string_view sql, std::span<const Value> params) {
    // Parameters go as text; ints and reals are typed so expressions like `? + 1` parse,
    // text and NULL are left to the server to infer from where they are used.
    std::string key(sql);
    key += '\x01';
    for (const auto& v : params) key += static_cast<char>('0' + v.index());
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
        std::vector<Oid> types;
        types.reserve(params.size());
        for (const auto& v : params) {
            if (std::holds_alternative<std::int64_t>(v)) types.push_back(kInt8);
            else if (std::holds_alternative<double>(v)) types.push_back(kFloat8);
            else if (std::holds_alternative<Blob>(v)) types.push_back(kBytea);
            else types.push_back(0);
        }
        std::string name = "s" + std::to_string(prepared_.size() + 1);
        std::string text = rewrite_placeholders(sql);
        PGresult* r = PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()), types.data());
        if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) fail(r, sql);
        PQclear(r);
        it = prepared_.emplace(std::move(key), std::move(name)).first;
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> ptrs(params.size(), nullptr);
    // Bytes go in binary format (no escaping, no text check); everything else as text.
    std::vector<int> lengths(params.size(), 0), formats(params.size(), 0);
    bool binary = false;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Value& v = params[i];
        if (auto b = std::get_if<Blob>(&v)) {
            ptrs[i] = b->bytes.data();
            lengths[i] = static_cast<int>(b->bytes.size());
            formats[i] = 1;
            binary = true;
            continue;
        }
        if (auto p = std::get_if<std::int64_t>(&v)) {
            texts[i] = std::to_string(*p);
        } else if (auto d = std::get_if<double>(&v)) {
            texts[i] = fmt::format("{}", *d);
        } else if (auto s = std::get_if<std::string>(&v)) {
            texts[i] = *s;
        } else {
            continue;  // NULL
        }
        ptrs[i] = texts[i].c_str();
    }
    PGresult* res = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(ptrs.size()), ptrs.data(),
                                   binary ? lengths.data() : nullptr, binary ? formats.data() : nullptr, 0);
    if (!res) fail(nullptr, sql);
    auto st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(res, sql);
    return res;
}

Rows Connection::query(std::string_view sql, std::span<const Value> params) {
    PGresult* res = run(sql, params);
    Rows rows;
    const int n = PQntuples(res), cols = PQnfields(res);
    rows.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
        std::vector<Value> row;
        row.reserve(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c) row.push_back(column_value(res, r, c));
        rows.emplace_back(std::move(row));
    }
    PQclear(res);
    return rows;
}

std::int64_t Connection::exec(std::string_view sql, std::span<const Value> params) {
    PGresult* res = run(sql, params);
    const char* n = PQcmdTuples(res);
    std::int64_t out = (n && *n) ? std::atoll(n) : 0;
    PQclear(res);
    return out;
}

void Connection::script(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    if (!res) fail(nullptr, sql);
    auto st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(res, sql);
    PQclear(res);
}

}  // namespace shop::db::postgres
