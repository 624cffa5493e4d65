#pragma once
// Every domain event type, in one list. Tx::emit accepts only the structs listed here, and
// the events test checks each of them against docs/events.md and round-trips it through
// JSON, so a new event must be added here (and documented) before it can be emitted.
#include <array>
#include <string_view>
#include <type_traits>

#include "shop/events/catalog_events.hpp"
#include "shop/events/order_events.hpp"
#include "shop/events/payment_events.hpp"
#include "shop/events/user_events.hpp"

namespace shop::events {

template <class... E>
struct EventList {
    static constexpr std::array<std::string_view, sizeof...(E)> kTypes{E::kType...};
    template <class T>
    static constexpr bool kContains = (std::is_same_v<T, E> || ...);
    // Calls f(std::type_identity<E>{}) for each event, in list order.
    template <class F>
    static void for_each(F&& f) {
        (f(std::type_identity<E>{}), ...);
    }
};

// One line per module: user, product, order (and its returns), payment.
using AllEvents = EventList<UserRegistered, UserRoleChanged,                                                      //
                            ProductCreated, ProductUpdated, ProductArchived, StockAdjusted, CategoryCreated,      //
                            CategoryUpdated, CategoryDeleted,                                                     //
                            OrderCreated, OrderPaid, OrderCancelled, OrderExpired, OrderShipped, OrderDelivered,  //
                            ShipmentCreated,                                                                      //
                            ReturnRequested, ReturnReceived, ReturnRejected,                                      //
                            PaymentSucceeded, PaymentFailed, PaymentProcessing, PaymentRefunded>;

inline constexpr auto kAllTypes = AllEvents::kTypes;

template <class E>
concept DomainEvent = AllEvents::kContains<E>;

}  // namespace shop::events
