#pragma once
// Returns of delivered orders (API.md section 11): requested by the buyer, then received
// (refunded through the payment module, restocked when asked) or rejected by an admin.
// The life cycle is return_state.hpp's table; what a return refunds, return_refund.hpp.
#include <optional>
#include <string>
#include <vector>

#include "order_service.hpp"
#include "return_repository.hpp"
#include "shop/api/inventory.hpp"
#include "shop/api/payments.hpp"
#include "shop/module.hpp"

namespace shop::order {

struct ReturnLineRequest {
    std::string variant_id;
    std::int64_t quantity = 0;
};

struct ReturnRequest {
    std::vector<ReturnLineRequest> items;  // each variant at most once (the handler checks)
    std::string reason;
};

class ReturnService {
public:
    // payments: the payment module's refunds, resolved when composition ends. Without it
    // (unit tests composing no payment module) receiving is 503 payments_unavailable.
    // return_window_days: SHOPD_RETURN_WINDOW_DAYS (OrderSettings).
    ReturnService(Runtime& rt, api::Inventory& inventory, Later<api::Payments> payments, int return_window_days);

    // A return of order `o` (whose caller the handler has checked), in the caller's write
    // transaction, with its return.requested event. 409 invalid_transition unless the order
    // is delivered; 409 return_window_closed past the window; 422 validation_failed naming
    // items[i].variant_id (not a line of the order) or items[i].quantity (more than was
    // delivered less what returns that are not rejected already hold).
    OrderReturn request(db::Tx& tx, const Order& o, const ReturnRequest& req);
    // requested -> received: refunds the return (once, whatever retries or crashes happen),
    // then records it, restocks its units when `restock`, and emits return.received.
    // A received return comes back as it is, refunding nothing more; a rejected one is 409.
    OrderReturn receive(const std::string& id, bool restock);
    // requested -> rejected; 409 from any other state, or while a receive holds it.
    OrderReturn reject(const std::string& id);

    std::optional<OrderReturn> find(const std::string& id);
    std::vector<OrderReturn> list(const ReturnFilter& f, const std::optional<ListKey>& after, int limit);

private:
    [[noreturn]] void invalid_transition(const OrderReturn& r, ReturnAction a) const;

    Runtime& rt_;
    api::Inventory& inventory_;
    Later<api::Payments> payments_;
    const int window_days_;
    ReturnRepository returns_;
};

}  // namespace shop::order
