#include "sandbox_provider.hpp"

#include <nlohmann/json.hpp>

#include "shop/core/digest.hpp"
#include "shop/core/random.hpp"
#include "shop/core/error.hpp"
#include "webhook_signature.hpp"

namespace shop::payment {

ChargeResult SandboxProvider::charge(const ChargeRequest& req) {
    ChargeResult r;
    r.reference = "sbx_ch_" + req.payment_id;
    const std::string& n = req.card.number;
    if (n == "4000000000000002") {
        r.status = ChargeResult::Status::Failed;
        r.failure_code = "card_declined";
    } else if (n == "4000000000009995") {
        r.status = ChargeResult::Status::Failed;
        r.failure_code = "insufficient_funds";
    } else if (n == "4000000000003220") {
        r.status = ChargeResult::Status::Processing;
    } else {
        r.status = ChargeResult::Status::Succeeded;
    }
    return ledger_.charge(req.payment_id, r);
}

RefundResult SandboxProvider::refund(std::string_view, std::int64_t amount, std::string_view,
                                     std::string_view idempotency_key) {
    std::string key(idempotency_key);
    if (key.empty()) key = core::new_id("sbx_unkeyed");
    return ledger_.refund(key, amount, "sbx_re_" + core::sha256_hex(key).substr(0, 26));
}

std::optional<ChargeResult> SandboxProvider::retrieve_charge(std::string_view payment_id) {
    return ledger_.find_charge(std::string(payment_id));
}

std::optional<RefundResult> SandboxProvider::retrieve_refund(std::string_view idempotency_key) {
    return ledger_.find_refund(std::string(idempotency_key));
}

WebhookEvent SandboxProvider::parse_webhook(std::string_view signature_header, std::string_view body,
                                            std::int64_t now_s) const {
    if (!verify_webhook(secret_, signature_header, body, now_s))
        throw Error("invalid_signature", "the Shop-Signature header does not verify");
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error("invalid_json", "the body is not JSON");
    WebhookEvent e;
    auto str = [&](const nlohmann::json& o, const char* k) {
        return o.is_object() && o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : std::string();
    };
    e.id = str(j, "id");
    e.type = str(j, "type");
    e.payment_id = str(j.value("data", nlohmann::json::object()), "payment_id");
    if (e.id.empty() || e.id.size() > 255 || e.type.empty())
        throw Error::validation("id", "a webhook needs an id and a type");
    return e;
}

}  // namespace shop::payment
