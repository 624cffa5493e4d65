#pragma once
// What the payment module lets the order module do: refund a paid order in full when it is
// cancelled.
#include <cstdint>
#include <string_view>

namespace shop::api {

class Payments {
public:
    static constexpr std::string_view kInterface = "payments";  // its name in composition errors
    virtual ~Payments() = default;
    // Refunds whatever is still unrefunded of the order's succeeded payment, through the
    // provider (outside any transaction) and records it with its payment.refunded event.
    // Returns the amount refunded (0 when nothing was paid). Throws Error when the
    // provider refuses, in which case the order must stay as it is.
    virtual std::int64_t refund_order_in_full(std::string_view order_id) = 0;
};

}  // namespace shop::api
