#pragma once
// The Idempotency-Key layer shared by POST /orders, /payments and /payments/{id}/refunds.
// A key belongs to one user; it remembers the request's fingerprint (method, path,
// canonical body) and the response. The same key with the same body replays the response
// (header Idempotent-Replayed: true) and does nothing twice; with a different body it is
// 422 idempotency_key_reused. Keys are kept 24 hours.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "shop/db/database.hpp"
#include "shop/http/response.hpp"
#include "shop/http/route.hpp"

namespace shop::core {

// What a keyed request answered, kept to be replayed: the resource as JSON, and whether the
// request created it and where it lives. Services deal in answers; a handler turns one into
// the HTTP response with to_response().
struct Answer {
    nlohmann::json body;
    bool created = false;    // 201, else 200
    std::string location;    // the created resource's path, when it has one
    bool replayed = false;   // read back from an earlier request with the same key
};

http::Response to_response(const Answer& a);

struct IdempotencyKey {
    std::string user_id;
    std::string key;
    std::string fingerprint;
};

class Idempotency {
public:
    explicit Idempotency(db::Database& db) : db_(db) {}

    // The request's key: nullopt when the header is absent (400 idempotency_key_required
    // when `required`); 422 validation_failed when it is not 1-255 visible characters.
    // `redact` may rewrite the parsed body before it is fingerprinted: the payment route
    // strips card data, so no hash of a card number is ever stored.
    static std::optional<IdempotencyKey> key_of(const http::Context& ctx, bool required,
                                                const std::function<void(nlohmann::json&)>& redact = {});

    // For an effect that is pure database work: in ONE write transaction, replays the
    // stored answer, or runs effect(tx) and stores its answer with it. Concurrent
    // requests with one key are serialised by that transaction: one effect. An Error
    // from the effect rolls everything back and stores nothing. No key: just the effect.
    Answer once(const std::optional<IdempotencyKey>& key, const std::function<Answer(db::Tx&)>& effect);

    // For an effect that calls out between transactions (a payment provider):
    //   claim()    in the first transaction: an answer to replay, or nullopt once claimed;
    //              throws InProgress when another request holds the key unfinished;
    //   complete() in the transaction that records the outcome;
    //   abandon()  when the attempt failed and may be retried with the same key.
    struct InProgress {};
    std::optional<Answer> claim(db::Tx& tx, const IdempotencyKey& key);
    void complete(db::Tx& tx, const IdempotencyKey& key, const Answer& answer);
    void abandon(db::Tx& tx, const IdempotencyKey& key);
    // Waits for another request holding the key to finish, then replays its answer;
    // 409 idempotency_in_progress if it does not finish within `patience`.
    Answer await(const IdempotencyKey& key, std::chrono::milliseconds patience = std::chrono::seconds(10));

    // Forgets keys older than `age` (the core schedules this).
    void purge(std::chrono::seconds age = std::chrono::hours(24));

private:
    db::Database& db_;
};

}  // namespace shop::core
