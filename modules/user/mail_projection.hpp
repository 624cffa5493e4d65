#pragma once
// Turns the events that concern a buyer (order.paid, shipment.created, return.received)
// into mail jobs in the outbox, inside the transaction that writes the event: the mail
// exists exactly when its cause does, and is sent later by MailSender, never inside a
// request. Each mail's key (its order, shipment or return) makes re-applying an event a
// no-op.
#include <cstdint>

#include "mail_content.hpp"
#include "mail_settings.hpp"
#include "model.hpp"
#include "shop/api/orders.hpp"
#include "shop/events/projection.hpp"
#include "shop/interfaces.hpp"
#include "user_repository.hpp"

namespace shop::user {

// The outbox's kind for mail jobs.
inline constexpr const char* kMailKind = "mail";

// Queues one mail in the caller's transaction; false when its key was queued before.
bool enqueue_mail(db::Tx& tx, const MailJob& job);

class MailProjection {
public:
    // Events older than this when applied (a catch-up on a shop that ran without this
    // projection) are too late to mail about; they are passed over.
    static constexpr std::int64_t kMaxAgeMs = 3600 * 1000;

    MailProjection(bool enabled, const UserRepository& users, Later<api::Orders> orders, Clock clock);

    const events::Projection& projection() const { return projection_; }
    // With mail switched off it only moves the watermark: nothing piles up to be sent
    // when it is switched on later.
    void apply(db::Tx& tx, const events::Event& e);

private:
    // The buyer's address and name: the order's e-mail, else the account's.
    struct Recipient {
        std::string email;
        std::string name;
    };
    std::optional<Recipient> recipient(db::Conn& c, const api::OrderReceipt& order) const;

    bool enabled_;
    const UserRepository& users_;
    Later<api::Orders> orders_;
    Clock clock_;
    events::Projection projection_;
};

}  // namespace shop::user
