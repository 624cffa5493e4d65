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
    // stored response, or runs effect(tx) and stores its response with it. Concurrent
    // requests with one key are serialised by that transaction: one effect. An ApiError
    // from the effect rolls everything back and stores nothing. No key: just the effect.
    http::Response once(const std::optional<IdempotencyKey>& key,
                        const std::function<http::Response(db::Tx&)>& effect);

    // For an effect that calls out between transactions (a payment provider):
    //   claim()    in the first transaction: a response to replay, or nullopt once claimed;
    //              throws InProgress when another request holds the key unfinished;
    //   complete() in the transaction that records the outcome;
    //   abandon()  when the attempt failed and may be retried with the same key.
    struct InProgress {};
    std::optional<http::Response> claim(db::Tx& tx, const IdempotencyKey& key);
    void complete(db::Tx& tx, const IdempotencyKey& key, const http::Response& response);
    void abandon(db::Tx& tx, const IdempotencyKey& key);
    // Waits for another request holding the key to finish, then replays its response;
    // 409 idempotency_in_progress if it does not finish within `patience`.
    http::Response await(const IdempotencyKey& key, std::chrono::milliseconds patience = std::chrono::seconds(10));

    // Forgets keys older than `age` (the core schedules this).
    void purge(std::chrono::seconds age = std::chrono::hours(24));

private:
    db::Database& db_;
};

}  // namespace shop::core
