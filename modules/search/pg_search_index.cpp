#include "pg_search_index.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_set>

#include "option_values_json.hpp"

namespace shop::search {

namespace {

// Name (A) over description (B) and variants (C), ten to one as FTS5's bm25 weights:
// {D, C, B, A}.
constexpr const char* kRank = "ts_rank('{0, 0.1, 0.1, 1.0}', d.document, q.query)";
// HighlightAll: the whole text with every match marked, as FTS5's highlight() gives it.
constexpr const char* kHeadlineOptions = "StartSel=\x01, StopSel=\x02, HighlightAll=true";

std::string without_markers(std::string s) {
    std::replace(s.begin(), s.end(), kMarkOpen, ' ');
    std::replace(s.begin(), s.end(), kMarkClose, ' ');
    return s;
}

struct Filter {
    std::string sql;
    std::vector<db::Value> params;
};

// The query is bound once, in a CTE `q`; the filters follow over the docs table `d`.
Filter filter_of(const std::string& query, const SearchQuery& q) {
    Filter f{"", {query}};
    if (q.categories) {
        f.sql += " AND d.category_id IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))";
        f.params.emplace_back(nlohmann::json(*q.categories).dump());
    }
    if (q.min_price) {
        f.sql += " AND d.price >= ?";
        f.params.emplace_back(*q.min_price);
    }
    if (q.max_price) {
        f.sql += " AND d.price <= ?";
        f.params.emplace_back(*q.max_price);
    }
    return f;
}

constexpr const char* kJoin =
    " FROM (SELECT to_tsquery('shop_search', CAST(? AS text)) AS query) q"
    " JOIN data_search_docs d ON d.document @@ q.query";
constexpr const char* kWhere = " WHERE TRUE";

}  // namespace

std::string PgSearchIndex::schema() {
    return "CREATE EXTENSION IF NOT EXISTS unaccent;"
           "CREATE TEXT SEARCH CONFIGURATION shop_search (COPY = simple);"
           "ALTER TEXT SEARCH CONFIGURATION shop_search"
           " ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword,"
           " numhword, hword_numpart WITH unaccent, simple;"
           "CREATE TABLE data_search_docs ("
           " doc BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
           " product_id TEXT NOT NULL UNIQUE,"
           " category_id TEXT,"
           " price BIGINT NOT NULL,"
           " name TEXT NOT NULL,"
           " description TEXT NOT NULL,"
           " document tsvector NOT NULL);"
           "CREATE INDEX data_search_docs_category ON data_search_docs(category_id);"
           "CREATE INDEX data_search_docs_document ON data_search_docs USING GIN (document);";
}

std::string PgSearchIndex::variants_schema() {
    // The documents get their new columns now and their variants' text when the search
    // projection, started over from the first event, puts each product again
    // (SearchModule::start catches up before serving).
    return "ALTER TABLE data_search_docs ADD COLUMN price_max BIGINT NOT NULL DEFAULT 0,"
           " ADD COLUMN options JSONB NOT NULL DEFAULT '[]',"
           " ADD COLUMN variants TEXT NOT NULL DEFAULT '';"
           "UPDATE data_search_docs SET price_max = price;"
           "DELETE FROM data_watermarks WHERE consumer = 'search';";
}

std::string PgSearchIndex::tsquery_text(const std::vector<std::string>& words, bool name_only) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i) out += " & ";
        out += '\'';
        for (char ch : words[i]) {
            if (ch == '\'' || ch == '\\') out += ch;
            out += ch;
        }
        out += '\'';
        const bool last = i + 1 == words.size();
        if (last || name_only) out += ':';
        if (last) out += '*';
        if (name_only) out += 'A';
    }
    return out;
}

void PgSearchIndex::put(db::Tx& tx, const IndexedProduct& p) {
    std::string name = without_markers(p.name), description = without_markers(p.description),
                variants = without_markers(p.variants);
    tx.exec(
        "INSERT INTO data_search_docs(product_id, category_id, price, price_max, options, name, description, "
        "variants, document) "
        "VALUES (?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS text), CAST(? AS text), CAST(? AS text), "
        " setweight(to_tsvector('shop_search', CAST(? AS text)), 'A') || "
        " setweight(to_tsvector('shop_search', CAST(? AS text)), 'B') || "
        " setweight(to_tsvector('shop_search', CAST(? AS text)), 'C')) "
        "ON CONFLICT (product_id) DO UPDATE SET category_id = excluded.category_id, price = excluded.price, "
        "price_max = excluded.price_max, options = excluded.options, name = excluded.name, "
        "description = excluded.description, variants = excluded.variants, document = excluded.document",
        p.product_id, p.category_id, p.price, p.price_max, option_values_json(p.options), name, description, variants,
        name, description, variants);
}

void PgSearchIndex::remove(db::Tx& tx, const std::string& product_id) {
    tx.exec("DELETE FROM data_search_docs WHERE product_id = ?", product_id);
}

SearchResult PgSearchIndex::search(db::Conn& c, const SearchQuery& q) {
    SearchResult out;
    if (q.words.empty()) return out;
    Filter f = filter_of(tsquery_text(q.words), q);

    // Counts and prices per category over every match; the total is their sum.
    for (const auto& r : c.query_values(std::string("SELECT d.category_id, COUNT(*), MIN(d.price), MAX(d.price_max)") +
                                            kJoin + kWhere + f.sql + " GROUP BY d.category_id",
                                        f.params)) {
        out.categories.push_back({r.opt_str(0), r.i64(1)});
        out.total += r.i64(1);
        PriceRange p{r.i64(2), r.i64(3)};
        out.price = out.price ? PriceRange{std::min(out.price->min, p.min), std::max(out.price->max, p.max)} : p;
    }
    if (out.total == 0) return out;
    // A document holds each (name, value) once, so a row per pair counts products.
    for (const auto& r : c.query_values(std::string("SELECT o.pair->>0, o.pair->>1, COUNT(*)") + kJoin +
                                            " CROSS JOIN LATERAL jsonb_array_elements(d.options) AS o(pair)" + kWhere +
                                            f.sql + " GROUP BY 1, 2",
                                        f.params))
        out.options.push_back({{r.str(0), r.str(1)}, r.i64(2)});
    if (q.offset >= out.total) return out;

    // The page first, then highlights for the page's rows alone.
    std::vector<db::Value> params = f.params;
    params.emplace_back(std::int64_t{q.limit});
    params.emplace_back(std::int64_t{q.offset});
    std::vector<std::string> ids;
    for (const auto& r : c.query_values("SELECT d.doc, d.product_id, " + std::string(kRank) + " AS r" + kJoin + kWhere +
                                            f.sql + " ORDER BY r DESC, d.doc LIMIT ? OFFSET ?",
                                        params)) {
        ids.push_back(r.str(1));
        out.hits.push_back({r.str(1), r.f64(2), true, {}, {}});
    }
    if (out.hits.empty()) return out;

    auto lights = c.query(
        "SELECT d.product_id, ts_headline('shop_search', d.name, q.query, CAST(? AS text)),"
        " ts_headline('shop_search', d.description, q.query, CAST(? AS text))"
        " FROM (SELECT to_tsquery('shop_search', CAST(? AS text)) AS query) q, data_search_docs d"
        " WHERE d.product_id IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))",
        kHeadlineOptions, kHeadlineOptions, tsquery_text(q.words), nlohmann::json(ids).dump());
    for (const auto& r : lights) {
        for (auto& hit : out.hits) {
            if (hit.product_id != r.str(0)) continue;
            hit.name_highlight = r.str(1);
            hit.description_highlight = r.str(2);
        }
    }
    return out;
}

std::vector<std::string> PgSearchIndex::suggest(db::Conn& c, const std::vector<std::string>& words, int limit) {
    std::vector<std::string> out;
    if (words.empty() || limit <= 0) return out;
    std::unordered_set<std::string> seen;
    for (const auto& r : c.query("SELECT d.name FROM (SELECT to_tsquery('shop_search', CAST(? AS text)) AS query) q"
                                 " JOIN data_search_docs d ON d.document @@ q.query"
                                 " ORDER BY ts_rank('{0, 0, 0.1, 1.0}', d.document, q.query) DESC, d.doc LIMIT ?",
                                 tsquery_text(words, true), std::int64_t{limit} * 10)) {
        if (seen.insert(r.str(0)).second) out.push_back(r.str(0));
        if (static_cast<int>(out.size()) >= limit) break;
    }
    return out;
}

}  // namespace shop::search
