#pragma once
// What each mail says, as the data its template renders (mail_template.hpp), made from the
// event that causes it and the order it concerns. Values arrive as text to show: money is
// formatted here, times too.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "shop/api/orders.hpp"
#include "shop/events/order_events.hpp"

namespace shop::user {

// "12.34 USD", "1200 JPY", "-0.50 EUR": minor units in the currency's ISO 4217 exponent.
std::string format_money(std::int64_t minor, const std::string& currency);

// A queued mail: {"template", "to", "data"}, the outbox job's payload.
struct MailJob {
    std::string key;  // unique per mail: a retry or a replayed event queues nothing twice
    nlohmann::json payload;
};

// `name`: the account's name, empty for a guest.
MailJob order_paid_mail(const api::OrderReceipt& order, const std::string& to, const std::string& name);
MailJob shipment_mail(const api::OrderReceipt& order, const events::ShipmentCreated& e, const std::string& to,
                      const std::string& name);
MailJob return_mail(const api::OrderReceipt& order, const events::ReturnReceived& e, const std::string& to,
                    const std::string& name);
// `token_digest`: the stored SHA-256 of the token, which names the job; `reset_url`: the
// storefront page that takes the token (MailSettings::reset_link), "" for none.
MailJob reset_mail(const std::string& to, const std::string& name, const std::string& token,
                   const std::string& token_digest, std::int64_t expires_at_ms, const std::string& reset_url = "");

}  // namespace shop::user
