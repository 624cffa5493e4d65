#include "shop/core/idempotency.hpp"

#include <thread>

#include "shop/core/digest.hpp"
#include "shop/core/random.hpp"
#include "shop/core/time.hpp"
#include "shop/db/errors.hpp"
#include "shop/core/error.hpp"

namespace shop::core {

using nlohmann::json;

namespace {

// Deeper than http::Context::json_body accepts (64), so every valid body is canonicalised.
constexpr int kMaxCanonicalDepth = 128;

// Rows keep the answer as it went out (status, body text, Content-Type and Location), so
// keys stored by earlier versions replay unchanged.
Answer replay(const db::Row& row) {
    Answer a;
    a.created = row.i64(1) == 201;
    a.body = json::parse(row.str(2));
    const json headers = json::parse(row.str(3));
    if (auto it = headers.find("Location"); it != headers.end()) a.location = it->get<std::string>();
    a.replayed = true;
    return a;
}

Error reused() {
    return Error("idempotency_key_reused",
                 "this Idempotency-Key was used with a different request; use a new key");
}

constexpr auto kSelect =
    "SELECT fingerprint, status, response_body, response_headers FROM idempotency_keys WHERE user_id = ? AND key = ?";

}  // namespace

http::Response to_response(const Answer& a) {
    http::Response r = http::Response::json(a.created ? 201 : 200, a.body);
    if (!a.location.empty()) r.set_header("Location", a.location);
    if (a.replayed) r.set_header("Idempotent-Replayed", "true");
    return r;
}

std::optional<IdempotencyKey> Idempotency::key_of(const http::Context& ctx, bool required,
                                                  const std::function<void(nlohmann::json&)>& redact) {
    auto header = ctx.request().header("Idempotency-Key");
    if (!header) {
        if (required)
            throw Error("idempotency_key_required",
                        "this request needs an Idempotency-Key header");
        return std::nullopt;
    }
    std::string_view key = *header;
    bool printable = !key.empty() && key.size() <= 255;
    for (char c : key) printable = printable && c > 0x20 && c < 0x7f;
    if (!printable) throw Error::validation("Idempotency-Key", "must be 1 to 255 visible ASCII characters");

    const auto& req = ctx.request();
    // The body's meaning, not its spacing, identifies the request. dump() recurses, so a
    // body nested deeper than any valid request (the handlers refuse it with 400) is
    // fingerprinted as raw text instead of overflowing the stack.
    bool too_deep = false;
    json parsed = json::parse(
        req.body,
        [&too_deep](int depth, json::parse_event_t, json&) {
            if (depth > kMaxCanonicalDepth) too_deep = true;
            return !too_deep;
        },
        false);
    // (A body that does not parse is refused by the handler before any key is stored.)
    if (!parsed.is_discarded() && !too_deep && redact) redact(parsed);
    std::string canonical = parsed.is_discarded() || too_deep ? req.body : parsed.dump();
    std::string fp = sha256_hex(std::string(http::to_string(req.method)) + " " + req.path + "\n" + canonical);
    // Keys are the user's; a guest paying with an order token has keys of that token's
    // (only its hash is kept), so no other guest can replay its answers.
    std::string owner = "anonymous";
    if (ctx.principal()) owner = ctx.principal()->user_id;
    else if (auto token = req.header("X-Order-Token"); token && !token->empty())
        owner = "order-token:" + sha256_hex(*token);
    return IdempotencyKey{std::move(owner), std::string(key), std::move(fp)};
}

std::optional<Answer> Idempotency::claim(db::Tx& tx, const IdempotencyKey& key) {
    // Insert first: a fresh key (the usual case) costs one statement, and only a key seen
    // before is read back.
    if (tx.exec("INSERT INTO idempotency_keys(user_id, key, fingerprint, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id, key) DO NOTHING",
                key.user_id, key.key, key.fingerprint, now_ms()) == 1)
        return std::nullopt;
    auto row = tx.query_one(kSelect, key.user_id, key.key);
    if (!row) throw db::DbError("idempotency key vanished while claiming it");
    if (row->str(0) != key.fingerprint) throw reused();
    if (row->is_null(1)) throw InProgress{};
    return replay(*row);
}

void Idempotency::complete(db::Tx& tx, const IdempotencyKey& key, const Answer& answer) {
    json headers = {{"Content-Type", "application/json"}};
    if (!answer.location.empty()) headers["Location"] = answer.location;
    tx.exec(
        "UPDATE idempotency_keys SET status = ?, response_body = ?, response_headers = ? WHERE user_id = ? AND key = ?",
        answer.created ? 201 : 200, answer.body.dump(), headers.dump(), key.user_id, key.key);
}

void Idempotency::abandon(db::Tx& tx, const IdempotencyKey& key) {
    tx.exec("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status IS NULL", key.user_id, key.key);
}

Answer Idempotency::once(const std::optional<IdempotencyKey>& key, const std::function<Answer(db::Tx&)>& effect) {
    if (!key) return db_.write([&](db::Tx& tx) { return effect(tx); });
    try {
        return db_.write([&](db::Tx& tx) {
            if (auto stored = claim(tx, *key)) return std::move(*stored);
            Answer a = effect(tx);
            complete(tx, *key, a);
            return a;
        });
    } catch (const InProgress&) {
        // Held by a two-phase request (a payment still at its provider): wait for its answer.
        return await(*key);
    }
}

Answer Idempotency::await(const IdempotencyKey& key, std::chrono::milliseconds patience) {
    auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
        auto row = db_.read([&](db::Conn& c) { return c.query_one(kSelect, key.user_id, key.key); });
        if (row) {
            if (row->str(0) != key.fingerprint) throw reused();
            if (!row->is_null(1)) return replay(*row);
        }
        if (!row || std::chrono::steady_clock::now() > deadline) {
            // Gone (abandoned) or still busy: the client may retry with the same key.
            throw Error("idempotency_in_progress",
                        "a request with this Idempotency-Key is still being processed; retry shortly")
                .with_retry_after(1);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void Idempotency::purge(std::chrono::seconds age) {
    auto cutoff = now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(age).count();
    db_.write([&](db::Tx& tx) { tx.exec("DELETE FROM idempotency_keys WHERE created_at < ?", cutoff); });
}

}  // namespace shop::core
