#include "fts5_search_index.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_set>

#include "option_values_json.hpp"

namespace shop::search {

namespace {

// A match in the name weighs ten times one in the description or the variants (bm25
// column weights, in the table's column order).
constexpr const char* kRank = "bm25(data_search_fts, 10.0, 1.0, 1.0)";

// The FTS5 string form of a word: double quotes, inner quotes doubled. Inside a string
// FTS5 treats nothing as an operator (AND, NEAR, *, ^, :, parentheses are plain text).
std::string quoted(const std::string& word) {
    std::string out = "\"";
    for (char ch : word) {
        if (ch == '"') out += '"';
        out += ch;
    }
    out += '"';
    return out;
}

// The markers are ours alone: any copy of them in product text is blanked out.
std::string without_markers(std::string s) {
    std::replace(s.begin(), s.end(), kMarkOpen, ' ');
    std::replace(s.begin(), s.end(), kMarkClose, ' ');
    return s;
}

// The filters of a search, as SQL over the docs table `d` and the values they bind. The
// SQL text depends only on which filters are present (a few shapes, each prepared once);
// the category list travels as one JSON array parameter.
struct Filter {
    std::string sql;
    std::vector<db::Value> params;
};

Filter filter_of(const std::string& match, const SearchQuery& q) {
    Filter f{"data_search_fts MATCH ?", {match}};
    if (q.categories) {
        f.sql += " AND d.category_id IN (SELECT value FROM json_each(?))";
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

constexpr const char* kJoin = " FROM data_search_fts JOIN data_search_docs d ON d.doc = data_search_fts.rowid";

// The FTS table with the given columns. unicode61 with remove_diacritics 2 folds case and
// accents ("creme" finds "Crème"); the prefix indexes make the last word's prefix query
// cheap for short prefixes.
std::string fts_table(const std::string& columns) {
    return "CREATE VIRTUAL TABLE data_search_fts USING fts5(" + columns +
           ", tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');";
}

}  // namespace

std::string Fts5SearchIndex::schema() {
    // data_search_docs holds what filters and facets need, keyed by the FTS rowid; the FTS
    // table holds the text (its own copy, which highlight() reads).
    return "CREATE TABLE data_search_docs ("
           " doc INTEGER PRIMARY KEY,"
           " product_id TEXT NOT NULL UNIQUE,"
           " category_id TEXT,"
           " price INTEGER NOT NULL);"
           "CREATE INDEX data_search_docs_category ON data_search_docs(category_id);" +
           fts_table(" name, description");
}

std::string Fts5SearchIndex::change_feed_schema() {
    // Every change numbered (rev) and removals kept as inactive rows: what an in-memory
    // index needs to follow the table, its own replica's writes and other replicas' alike.
    return "ALTER TABLE data_search_docs ADD COLUMN active INTEGER NOT NULL DEFAULT 1;"
           "ALTER TABLE data_search_docs ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;"
           "UPDATE data_search_docs SET rev = doc;"
           "CREATE INDEX data_search_docs_rev ON data_search_docs(rev);";
}

std::string Fts5SearchIndex::variants_schema() {
    // FTS5 tables take no new column: the text table is made again, empty. Every document
    // is marked removed with a rev above all before (so a follower drops it too) and the
    // search projection starts over from the first event, putting back each active
    // product with its variants (SearchModule::start catches up before serving).
    return "ALTER TABLE data_search_docs ADD COLUMN price_max INTEGER NOT NULL DEFAULT 0;"
           "ALTER TABLE data_search_docs ADD COLUMN options TEXT NOT NULL DEFAULT '[]';"
           "UPDATE data_search_docs SET active = 0, rev = rev + (SELECT coalesce(max(rev), 0) FROM data_search_docs);"
           "DROP TABLE data_search_fts;" +
           fts_table("name, description, variants") + "DELETE FROM data_watermarks WHERE consumer = 'search';";
}

std::string Fts5SearchIndex::match_expression(const std::vector<std::string>& words, const std::string& column) {
    if (words.empty()) return {};
    std::string expr;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i) expr += ' ';
        expr += quoted(words[i]);
    }
    expr += '*';
    if (!column.empty()) expr = "{" + column + "} : (" + expr + ")";
    return expr;
}

void Fts5SearchIndex::put(db::Tx& tx, const IndexedProduct& p) {
    // rev numbers the change for MemorySearchIndex, which follows the table by it. The
    // writer is serialised, so revs grow in commit order.
    std::int64_t doc = tx.query(
                             "INSERT INTO data_search_docs(product_id, category_id, price, price_max, options, active, "
                             "rev) VALUES (?, ?, ?, ?, ?, 1, (SELECT coalesce(max(rev), 0) + 1 FROM data_search_docs)) "
                             "ON CONFLICT (product_id) DO UPDATE SET category_id = excluded.category_id, "
                             "price = excluded.price, price_max = excluded.price_max, options = excluded.options, "
                             "active = 1, rev = excluded.rev RETURNING doc",
                             p.product_id, p.category_id, p.price, p.price_max, option_values_json(p.options))
                           .front()
                           .i64(0);
    tx.exec("DELETE FROM data_search_fts WHERE rowid = ?", doc);
    tx.exec("INSERT INTO data_search_fts(rowid, name, description, variants) VALUES (?, ?, ?, ?)", doc,
            without_markers(p.name), without_markers(p.description), without_markers(p.variants));
}

void Fts5SearchIndex::remove(db::Tx& tx, const std::string& product_id) {
    // The docs row stays behind, inactive, so that followers of rev see the removal.
    auto row = tx.query_one("SELECT doc FROM data_search_docs WHERE product_id = ? AND active = 1", product_id);
    if (!row) return;
    tx.exec("DELETE FROM data_search_fts WHERE rowid = ?", row->i64(0));
    tx.exec("UPDATE data_search_docs SET active = 0, rev = (SELECT max(rev) + 1 FROM data_search_docs) WHERE doc = ?",
            row->i64(0));
}

std::vector<DocChange> Fts5SearchIndex::changes_after(db::Conn& c, std::int64_t rev, int limit) {
    std::vector<DocChange> out;
    for (const auto& r : c.query("SELECT d.doc, d.rev, d.active, d.category_id, d.price, f.name, f.description, "
                                 "d.price_max, d.options, f.variants "
                                 "FROM data_search_docs d LEFT JOIN data_search_fts f ON f.rowid = d.doc "
                                 "WHERE d.rev > ? ORDER BY d.rev LIMIT ?",
                                 rev, std::int64_t{limit})) {
        DocChange ch;
        ch.doc = r.i64(0);
        ch.rev = r.i64(1);
        ch.active = r.i64(2) != 0 && !r.is_null(5);
        ch.category_id = r.opt_str(3);
        ch.price = r.i64(4);
        if (ch.active) {
            ch.name = r.str(5);
            ch.description = r.str(6);
            ch.price_max = r.i64(7);
            ch.options = option_values_from_json(r.str(8));
            ch.variants = r.opt_str(9).value_or("");  // NULL from a binary before variants
        }
        out.push_back(std::move(ch));
    }
    return out;
}

std::vector<std::pair<std::int64_t, std::string>> Fts5SearchIndex::product_ids(db::Conn& c,
                                                                              const std::vector<std::int64_t>& docs) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    if (docs.empty()) return out;
    std::string sql =
        "SELECT doc, product_id FROM data_search_docs WHERE active = 1 AND doc IN (" + db::placeholders(docs.size()) + ")";
    std::vector<db::Value> params(docs.begin(), docs.end());
    for (const auto& r : c.query_values(sql, params)) out.emplace_back(r.i64(0), r.str(1));
    return out;
}

std::vector<DocText> Fts5SearchIndex::texts(db::Conn& c, const std::vector<std::int64_t>& docs) {
    std::vector<DocText> out;
    if (docs.empty()) return out;
    std::string sql =
        "SELECT d.doc, d.product_id, f.name, f.description FROM data_search_docs d "
        "JOIN data_search_fts f ON f.rowid = d.doc WHERE d.active = 1 AND d.doc IN (" +
        db::placeholders(docs.size()) + ")";
    std::vector<db::Value> params(docs.begin(), docs.end());
    for (const auto& r : c.query_values(sql, params)) out.push_back({r.i64(0), r.str(1), r.str(2), r.str(3)});
    return out;
}

SearchResult Fts5SearchIndex::search(db::Conn& c, const SearchQuery& q) {
    SearchResult out;
    std::string match = match_expression(q.words);
    if (match.empty()) return out;
    Filter f = filter_of(match, q);

    // Counts and prices per category over every match; the total is their sum.
    for (const auto& r : c.query_values(std::string("SELECT d.category_id, COUNT(*), MIN(d.price), MAX(d.price_max)") +
                                            kJoin + " WHERE " + f.sql + " GROUP BY d.category_id",
                                        f.params)) {
        out.categories.push_back({r.opt_str(0), r.i64(1)});
        out.total += r.i64(1);
        PriceRange p{r.i64(2), r.i64(3)};
        out.price = out.price ? PriceRange{std::min(out.price->min, p.min), std::max(out.price->max, p.max)} : p;
    }
    if (out.total == 0) return out;
    // A document holds each (name, value) once, so a row per pair counts products.
    for (const auto& r :
         c.query_values("SELECT json_extract(o.value, '$[0]'), json_extract(o.value, '$[1]'), COUNT(*)" +
                            std::string(kJoin) + ", json_each(d.options) o WHERE " + f.sql + " GROUP BY 1, 2",
                        f.params))
        out.options.push_back({{r.str(0), r.str(1)}, r.i64(2)});
    if (q.offset >= out.total) return out;

    // The page first (rank only), then highlights for the page's rows alone: computed in
    // the ranking query they would be made for every match before the sort.
    std::vector<db::Value> params = f.params;
    params.emplace_back(std::int64_t{q.limit});
    params.emplace_back(std::int64_t{q.offset});
    nlohmann::json docs = nlohmann::json::array();
    for (const auto& r : c.query_values("SELECT d.doc, d.product_id, " + std::string(kRank) + " AS r" + kJoin +
                                            " WHERE " + f.sql + " ORDER BY r, d.doc LIMIT ? OFFSET ?",
                                        params)) {
        docs.push_back(r.i64(0));
        // bm25() is lower for better matches; the API's score is higher for better ones.
        out.hits.push_back({r.str(1), -r.f64(2), true, {}, {}});
    }
    if (out.hits.empty()) return out;

    auto lights = c.query(
        "SELECT rowid, highlight(data_search_fts, 0, char(1), char(2)), highlight(data_search_fts, 1, char(1), "
        "char(2)) FROM data_search_fts WHERE data_search_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
        match, docs.dump());
    for (const auto& r : lights) {
        for (std::size_t i = 0; i < docs.size(); ++i) {
            if (docs[i].get<std::int64_t>() != r.i64(0)) continue;
            out.hits[i].name_highlight = r.str(1);
            out.hits[i].description_highlight = r.str(2);
        }
    }
    return out;
}

std::vector<std::string> Fts5SearchIndex::suggest(db::Conn& c, const std::vector<std::string>& words, int limit) {
    std::vector<std::string> out;
    std::string match = match_expression(words, "name");
    if (match.empty() || limit <= 0) return out;
    // Enough candidates to fill `limit` distinct names when a few products share a name.
    std::unordered_set<std::string> seen;
    for (const auto& r : c.query("SELECT name FROM data_search_fts WHERE data_search_fts MATCH ? "
                                 "ORDER BY rank, rowid LIMIT ?",
                                 match, std::int64_t{limit} * 10)) {
        if (seen.insert(r.str(0)).second) out.push_back(r.str(0));
        if (static_cast<int>(out.size()) >= limit) break;
    }
    return out;
}

}  // namespace shop::search
