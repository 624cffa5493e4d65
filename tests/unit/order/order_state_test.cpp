#include <catch2/catch.hpp>

#include "order/order_state.hpp"

using namespace shop::order;

TEST_CASE("the state machine allows exactly the contract's transitions") {
    const Status all[] = {Status::PendingPayment, Status::Paid,      Status::Shipped,
                          Status::Delivered,      Status::Cancelled, Status::Expired};
    const Action actions[] = {Action::Pay, Action::Ship, Action::Deliver, Action::Cancel, Action::Expire};
    int allowed = 0;
    for (Status s : all)
        for (Action a : actions)
            if (next_status(s, a)) ++allowed;
    CHECK(allowed == 6);

    CHECK(next_status(Status::PendingPayment, Action::Pay) == Status::Paid);
    CHECK(next_status(Status::PendingPayment, Action::Cancel) == Status::Cancelled);
    CHECK(next_status(Status::PendingPayment, Action::Expire) == Status::Expired);
    CHECK(next_status(Status::Paid, Action::Ship) == Status::Shipped);
    CHECK(next_status(Status::Paid, Action::Cancel) == Status::Cancelled);
    CHECK(next_status(Status::Shipped, Action::Deliver) == Status::Delivered);

    CHECK_FALSE(next_status(Status::Shipped, Action::Cancel));
    CHECK_FALSE(next_status(Status::Delivered, Action::Cancel));
    CHECK_FALSE(next_status(Status::Cancelled, Action::Cancel));
    CHECK_FALSE(next_status(Status::Expired, Action::Pay));
    CHECK_FALSE(next_status(Status::PendingPayment, Action::Ship));
    CHECK_FALSE(next_status(Status::Paid, Action::Expire));
}

TEST_CASE("status names round-trip") {
    for (auto name : {"pending_payment", "paid", "shipped", "delivered", "cancelled", "expired"})
        CHECK(to_string(*status_from_string(name)) == name);
    CHECK_FALSE(status_from_string("refunded"));
}
