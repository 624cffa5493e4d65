#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <utility>

#include "order/order_state.hpp"

using namespace shop::order;

namespace {
constexpr Status kAll[] = {Status::PendingPayment, Status::Paid,      Status::PartiallyShipped, Status::Shipped,
                           Status::Delivered,      Status::Cancelled, Status::Expired};
constexpr Action kActions[] = {Action::Pay,     Action::ShipPartly, Action::Ship,
                               Action::Deliver, Action::Cancel,     Action::Expire};
}  // namespace

TEST_CASE("the state machine allows exactly the contract's transitions, checked state by action") {
    // API.md sections 5 and 11, written out again by hand: every pair not listed is refused.
    const std::map<std::pair<Status, Action>, Status> expected{
        {{Status::PendingPayment, Action::Pay}, Status::Paid},
        {{Status::PendingPayment, Action::Cancel}, Status::Cancelled},
        {{Status::PendingPayment, Action::Expire}, Status::Expired},
        {{Status::Paid, Action::ShipPartly}, Status::PartiallyShipped},
        {{Status::Paid, Action::Ship}, Status::Shipped},
        {{Status::Paid, Action::Cancel}, Status::Cancelled},
        {{Status::PartiallyShipped, Action::ShipPartly}, Status::PartiallyShipped},
        {{Status::PartiallyShipped, Action::Ship}, Status::Shipped},
        {{Status::Shipped, Action::Deliver}, Status::Delivered},
    };
    int checked = 0;
    for (Status s : kAll)
        for (Action a : kActions) {
            INFO(to_string(s) << " x " << to_string(a));
            auto want = expected.find({s, a});
            std::optional<Status> got = next_status(s, a);
            if (want == expected.end())
                CHECK_FALSE(got);
            else
                CHECK(got == want->second);
            ++checked;
        }
    CHECK(checked == 7 * 6);
}

TEST_CASE("a shipment is possible from exactly the states where either kind of shipment is") {
    // The service asks next_status(s, Ship) to know whether an order can take a shipment at
    // all, before it knows whether the shipment takes the rest.
    for (Status s : kAll) {
        INFO(to_string(s));
        CHECK(next_status(s, Action::Ship).has_value() == next_status(s, Action::ShipPartly).has_value());
    }
}

TEST_CASE("cancelling is refused once anything has shipped, and delivery needs shipped") {
    CHECK_FALSE(next_status(Status::PartiallyShipped, Action::Cancel));
    CHECK_FALSE(next_status(Status::PartiallyShipped, Action::Deliver));
    CHECK_FALSE(next_status(Status::Paid, Action::Deliver));
}

TEST_CASE("status names round-trip") {
    for (auto name : {"pending_payment", "paid", "partially_shipped", "shipped", "delivered", "cancelled", "expired"})
        CHECK(to_string(*status_from_string(name)) == name);
    for (Status s : kAll) CHECK(status_from_string(to_string(s)) == s);
    CHECK_FALSE(status_from_string("refunded"));
    CHECK(status_names() == "pending_payment, paid, partially_shipped, shipped, delivered, cancelled, expired");
}
