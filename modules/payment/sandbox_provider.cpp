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
    return r;
}

RefundResult SandboxProvider::refund(std::string_view, std::int64_t, std::string_view,
                                     std::string_view idempotency_key) {
    if (!idempotency_key.empty()) return {true, "", "sbx_re_" + core::sha256_hex(idempotency_key).substr(0, 26)};
    return {true, "", core::new_id("sbx_re")};
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
