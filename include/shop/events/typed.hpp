#pragma once
// Subscribers read events as their structs (include/shop/events/registry.hpp). Decoding
// happens here and only here, and it never throws: a stored event is not trusted to have
// its struct's shape (an older binary, a hand-made row, a bug), so one that does not is
// logged and skipped instead of failing the write it rides on or stopping a catch-up.
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "shop/events/event.hpp"
#include "shop/events/registry.hpp"

namespace shop::events {

namespace detail {
void warn_skipped(const Event& e, std::string_view why);

// fn(lead..., data, e) when fn takes the event too (for its seq or created_at_ms), else fn(lead..., data).
template <class F, class T, class... Lead>
void deliver(F& fn, const T& data, const Event& e, Lead&... lead) {
    if constexpr (std::is_invocable_v<F&, Lead&..., const T&, const Event&>)
        fn(lead..., data, e);
    else
        fn(lead..., data);
}
}  // namespace detail

// e's data as E; nullopt, after a warning naming the event, when e is not an E or its data
// lacks one of E's fields or has it with the wrong JSON type.
template <DomainEvent E>
std::optional<E> decode(const Event& e) {
    if (e.type != E::kType) {
        detail::warn_skipped(e, "it is not " + std::string(E::kType));
        return std::nullopt;
    }
    try {
        E out;
        from_json(e.data, out);
        return out;
    } catch (const std::exception& ex) {
        detail::warn_skipped(e, ex.what());
        return std::nullopt;
    }
}

// Decodes e as whichever of E... its type names and hands the struct to fn (see
// detail::deliver). Returns whether fn ran: false for another type or a malformed event.
template <DomainEvent... E, class F>
bool dispatch(const Event& e, F&& fn) {
    bool ran = false;
    auto one = [&]<class T>(std::type_identity<T>) {
        if (e.type != T::kType) return;
        if (auto data = decode<T>(e)) {
            detail::deliver(fn, *data, e);
            ran = true;
        }
    };
    (one(std::type_identity<E>{}), ...);
    return ran;
}

namespace detail {
template <class E, class F>
void subscribe_one(EventBus& bus, F fn) {
    bus.subscribe(std::string(E::kType), [fn](const Event& e) mutable { dispatch<E>(e, fn); });
}
template <class E, class F>
void subscribe_one_in_tx(EventBus& bus, F fn) {
    bus.subscribe_in_tx(std::string(E::kType), [fn](db::Tx& tx, const Event& e) mutable {
        dispatch<E>(e, [&](const E& data) { detail::deliver(fn, data, e, tx); });
    });
}
}  // namespace detail

// After-commit subscription to E...: fn(const Ei&) or fn(const Ei&, const Event&).
template <DomainEvent... E, class F>
void subscribe(EventBus& bus, F fn) {
    (detail::subscribe_one<E>(bus, fn), ...);
}

// In-transaction subscription to E...: fn(db::Tx&, const Ei&) or fn(db::Tx&, const Ei&, const Event&).
template <DomainEvent... E, class F>
void subscribe_in_tx(EventBus& bus, F fn) {
    (detail::subscribe_one_in_tx<E>(bus, fn), ...);
}

}  // namespace shop::events
