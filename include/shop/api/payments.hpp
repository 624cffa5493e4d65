#pragma once
// What the payment module lets the order module do: refund a paid order in full when it is
// cancelled, and refund a received return (section 11) exactly once.
#include <chrono>
#include <cstdint>
#include <string_view>

namespace shop::api {

class Payments {
public:
    static constexpr std::string_view kInterface = "payments";  // its name in composition errors
    virtual ~Payments() = default;
    // Refunds whatever is still unrefunded of the order's succeeded payment, through the
    // provider (outside any transaction) and records it with its payment.refunded event.
    // Returns the amount refunded (0 when nothing was paid). Claimed under the order's key
    // (cancel:<order>), so a second call, after a crash or concurrently, finishes the same
    // refund and refunds nothing more. Throws Error when the provider refuses, in which
    // case nothing is refunded and the order must stay as it is.
    virtual std::int64_t refund_order_in_full(std::string_view order_id) = 0;
    // Refunds `amount` of the order's captured payment for the return `return_id`, once.
    // The first call reserves the amount, asks the provider under an idempotency key made
    // from the return id, and records the refund with its payment.refunded event; any
    // later call (concurrent, or a retry after a crash anywhere in between) refunds nothing
    // more: it finishes the same refund under the same key if it was left unrecorded, and
    // returns the amount refunded for that return. `amount` 0 refunds nothing and asks no
    // one. Throws Error: payment_not_refundable (the order has no captured payment),
    // refund_exceeds_payment (less than `amount` is left to refund), provider_error (the
    // provider refused: nothing is refunded for the return, and a later call may try again).
    virtual std::int64_t refund_for_return(std::string_view order_id, std::string_view return_id,
                                           std::int64_t amount) = 0;
    // How long a refund may stay in doubt before the payment module settles it with the
    // provider (SHOPD_RECONCILE_AFTER). The order module finishes cancels a crash
    // interrupted once they are that old: calling refund_order_in_full again finishes the
    // same refund under the same key.
    virtual std::chrono::seconds settle_after() const = 0;
};

}  // namespace shop::api
