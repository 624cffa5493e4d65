#include "mail_projection.hpp"

#include "shop/core/log.hpp"
#include "shop/core/outbox.hpp"
#include "shop/events/order_events.hpp"
#include "shop/events/typed.hpp"

namespace shop::user {

bool enqueue_mail(db::Tx& tx, const MailJob& job) {
    return core::Outbox::enqueue(tx, kMailKind, job.key, job.payload.dump());
}

MailProjection::MailProjection(bool enabled, const UserRepository& users, Later<api::Orders> orders, Clock clock)
    : enabled_(enabled),
      users_(users),
      orders_(std::move(orders)),
      clock_(std::move(clock)),
      projection_{"user.mail",
                  {std::string(events::OrderPaid::kType), std::string(events::ShipmentCreated::kType),
                   std::string(events::ReturnReceived::kType)},
                  [this](db::Tx& tx, const events::Event& e) { apply(tx, e); }} {}

std::optional<MailProjection::Recipient> MailProjection::recipient(db::Conn& c,
                                                                   const api::OrderReceipt& order) const {
    std::optional<User> account;
    if (!order.user_id.empty()) account = users_.find(c, order.user_id);
    Recipient r;
    if (order.email) r.email = *order.email;
    else if (account) r.email = account->email;
    else return std::nullopt;
    if (account) r.name = account->name;
    return r;
}

void MailProjection::apply(db::Tx& tx, const events::Event& e) {
    if (!enabled_ || e.created_at_ms < clock_() - kMaxAgeMs) return;
    auto mail_for = [&](const std::string& order_id, auto make) {
        auto order = orders_->receipt(tx, order_id);
        if (!order) return;
        auto to = recipient(tx, *order);
        if (!to) {
            log::warn("mail: order {} has no e-mail address; {} not mailed", order_id, e.id());
            return;
        }
        enqueue_mail(tx, make(*order, *to));
    };
    events::dispatch<events::OrderPaid, events::ShipmentCreated, events::ReturnReceived>(e, [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        mail_for(ev.order_id, [&](const api::OrderReceipt& o, const Recipient& to) {
            if constexpr (std::is_same_v<T, events::OrderPaid>) return order_paid_mail(o, to.email, to.name);
            else if constexpr (std::is_same_v<T, events::ShipmentCreated>) return shipment_mail(o, ev, to.email, to.name);
            else return return_mail(o, ev, to.email, to.name);
        });
    });
}

}  // namespace shop::user
