"""Section 11, returns: a delivered order's units asked back by its buyer (or a guest with
its order token), refunded to the cent of what they were paid when an admin receives them,
exactly once, and restocked when asked; rejected returns refund nothing."""
import uuid

import pytest

from shopd import admin_env, admin_token, new_customer
from test_checkout_pricing import DE, discount, tax_rate, zone
from test_guest_checkout import as_guest, guest_order
from test_orders import make_product, stock_of
from test_payments import pay


@pytest.fixture
def shop(make_server):
    server = make_server(env=admin_env())
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    return server, admin, customer


def place(server, token, lines, address=DE, rate_id=None, code=None, headers=None):
    body = {"items": [{"product_id": p, "quantity": q} for p, q in lines], "shipping_address": address}
    if rate_id:
        body["shipping_rate_id"] = rate_id
    if code:
        body["discount_code"] = code
    r = server.post("/api/v1/orders", body, token=token, headers=headers)
    assert r.status == 201, r
    return r.json


def deliver(server, admin, order_id):
    for step in ("ship", "deliver"):
        r = server.post(f"/api/v1/orders/{order_id}/{step}", token=admin)
        assert r.status == 200, r
    return r.json


def delivered_order(server, admin, token, lines, **kw):
    o = place(server, token, lines, **kw)
    assert pay(server, token, o["id"]).status == 201
    deliver(server, admin, o["id"])
    return o


def ask(server, order_id, items, token=None, reason="Too small", headers=None):
    body = {"items": [{"variant_id": v, "quantity": q} for v, q in items], "reason": reason}
    return server.post(f"/api/v1/orders/{order_id}/returns", body, token=token, headers=headers)


def receive(server, admin, return_id, restock=True):
    return server.post(f"/api/v1/returns/{return_id}/receive", {"restock": restock}, token=admin)


def payment_of(server, admin, order_id):
    items = server.get(f"/api/v1/orders/{order_id}/payments", token=admin).json["items"]
    assert len(items) == 1
    return server.get(f"/api/v1/payments/{items[0]['id']}", token=admin).json


def paid_for(line, tax_on_top=True):
    return line["line_total"] - line["discount"] + (line["tax"] if tax_on_top else 0)


def test_a_partial_return_then_the_rest_refund_exactly_what_the_lines_were_paid(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=1000, stock=10)
    b = make_product(server, admin, price=1999, stock=10)
    _, (standard,) = zone(server, admin, ["DE"], [("Standard", 500, {})])
    tax_rate(server, admin, "DE", 1900, shipping_taxable=True)
    d = discount(server, admin, "fixed", 700)
    o = delivered_order(server, admin, customer, [(a["id"], 3), (b["id"], 2)], rate_id=standard, code=d["code"])
    la, lb = o["items"]
    # The breakdown the refunds are checked against: 700 off 6998 split 3000:3998, 19 % tax on
    # each discounted line and on the shipping.
    assert (la["line_total"], lb["line_total"]) == (3000, 3998)
    assert la["discount"] + lb["discount"] == 700 and o["discount_total"] == 700
    shipping_tax = o["tax_total"] - la["tax"] - lb["tax"]
    assert shipping_tax == 95
    paid_a, paid_b = paid_for(la), paid_for(lb)
    assert paid_a + paid_b == o["total"] - o["shipping_total"] - shipping_tax

    r1 = ask(server, o["id"], [(a["id"], 2), (b["id"], 1)], token=customer)
    assert r1.status == 201, r1
    assert r1.header("location") == f"/api/v1/returns/{r1.json['id']}"
    r1 = r1.json
    assert r1["id"].startswith("ret_") and r1["status"] == "requested" and r1["order_id"] == o["id"]
    assert r1["reason"] == "Too small" and r1["currency"] == "USD" and r1["restocked"] is None
    assert [(i["variant_id"], i["quantity"], i["refund_amount"]) for i in r1["items"]] == [
        (a["id"], 2, paid_a * 2 // 3), (b["id"], 1, paid_b // 2)]
    assert r1["refund_amount"] == paid_a * 2 // 3 + paid_b // 2

    # The rest of both lines: exactly what is left of what they were paid.
    r2 = ask(server, o["id"], [(b["id"], 1), (a["id"], 1)], token=customer).json
    assert [(i["variant_id"], i["refund_amount"]) for i in r2["items"]] == [
        (b["id"], paid_b - paid_b // 2), (a["id"], paid_a - paid_a * 2 // 3)]
    assert r1["refund_amount"] + r2["refund_amount"] == paid_a + paid_b

    # Receiving both refunds exactly that through the payment; shipping stays paid.
    for r in (r1, r2):
        got = receive(server, admin, r["id"])
        assert got.status == 200 and got.json["status"] == "received", got
    p = payment_of(server, admin, o["id"])
    assert p["amount_refunded"] == paid_a + paid_b == p["amount"] - 500 - shipping_tax
    assert p["status"] == "partially_refunded"

    # Nothing is left to return.
    r = ask(server, o["id"], [(a["id"], 1)], token=customer)
    assert r.status == 422 and [e["field"] for e in r.json["errors"]] == ["items[0].quantity"], r


def test_prices_holding_their_tax_refund_line_total_less_discount(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_PRICES_INCLUDE_TAX="true"))
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    a = make_product(server, admin, price=1190, stock=10)
    tax_rate(server, admin, "DE", 1900)
    d = discount(server, admin, "percentage", 10)
    o = delivered_order(server, admin, customer, [(a["id"], 3)], code=d["code"])
    line = o["items"][0]
    assert line["tax"] > 0 and o["total"] == o["subtotal"] - o["discount_total"]
    paid = line["line_total"] - line["discount"]
    r = ask(server, o["id"], [(a["id"], 1)], token=customer).json
    assert r["refund_amount"] == paid // 3
    r2 = ask(server, o["id"], [(a["id"], 2)], token=customer).json
    assert r["refund_amount"] + r2["refund_amount"] == paid == o["total"]


def test_more_than_delivered_is_422_and_writes_nothing(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=800, stock=10)
    b = make_product(server, admin, price=300, stock=10)
    o = delivered_order(server, admin, customer, [(a["id"], 2), (b["id"], 1)])
    r = ask(server, o["id"], [(b["id"], 1), (a["id"], 3)], token=customer)
    assert r.status == 422 and r.json["code"] == "validation_failed", r
    assert [e["field"] for e in r.json["errors"]] == ["items[1].quantity"]
    assert server.get(f"/api/v1/orders/{o['id']}/returns", token=customer).json["items"] == []
    # A variant that is not a line of the order, one named twice, bad quantities and reasons.
    other = make_product(server, admin)
    cases = [
        ({"items": [{"variant_id": other["id"], "quantity": 1}], "reason": "x"}, "items[0].variant_id"),
        ({"items": [{"variant_id": "var_made_up", "quantity": 1}], "reason": "x"}, "items[0].variant_id"),
        ({"items": [{"variant_id": a["id"], "quantity": 1}, {"variant_id": a["id"], "quantity": 1}], "reason": "x"},
         "items[1].variant_id"),
        ({"items": [{"variant_id": a["id"], "quantity": 0}], "reason": "x"}, "items[0].quantity"),
        ({"items": [{"variant_id": a["id"], "quantity": 1.5}], "reason": "x"}, "items[0].quantity"),
        ({"items": [{"variant_id": a["id"], "quantity": 1}]}, "reason"),
        ({"items": [{"variant_id": a["id"], "quantity": 1}], "reason": "   "}, "reason"),
        ({"items": [{"variant_id": a["id"], "quantity": 1}], "reason": "x" * 501}, "reason"),
        ({"items": [], "reason": "x"}, "items"),
        ({"reason": "x"}, "items"),
        ({"items": [{"variant_id": a["id"], "quantity": 1}], "reason": "x", "refund_amount": 1}, "refund_amount"),
    ]
    for body, field in cases:
        r = server.post(f"/api/v1/orders/{o['id']}/returns", body, token=customer)
        assert r.status == 422 and field in [e["field"] for e in r.json["errors"]], (body, r)
    assert server.get(f"/api/v1/orders/{o['id']}/returns", token=customer).json["items"] == []
    # 500 characters is fine.
    r = ask(server, o["id"], [(a["id"], 2), (b["id"], 1)], token=customer, reason="y" * 500)
    assert r.status == 201, r


def test_only_a_delivered_order_can_be_returned(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=500, stock=10)
    o = place(server, customer, [(a["id"], 1)])
    for step in (None, "pay", "ship"):
        if step == "pay":
            assert pay(server, customer, o["id"]).status == 201
        elif step == "ship":
            assert server.post(f"/api/v1/orders/{o['id']}/ship", token=admin).status == 200
        r = ask(server, o["id"], [(a["id"], 1)], token=customer)
        assert r.status == 409 and r.json["code"] == "invalid_transition", (step, r)
        assert r.json["order_status"] in ("pending_payment", "paid", "shipped")
        assert server.get(f"/api/v1/orders/{o['id']}", token=customer).json["delivered_at"] is None
    delivered = server.post(f"/api/v1/orders/{o['id']}/deliver", token=admin)
    assert delivered.status == 200 and delivered.json["delivered_at"] == delivered.json["updated_at"]
    assert ask(server, o["id"], [(a["id"], 1)], token=customer).status == 201


def test_a_window_of_zero_days_closes_at_delivery(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_RETURN_WINDOW_DAYS="0"))
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    a = make_product(server, admin, price=500, stock=10)
    o = delivered_order(server, admin, customer, [(a["id"], 1)])
    r = ask(server, o["id"], [(a["id"], 1)], token=customer)
    assert r.status == 409 and r.json["code"] == "return_window_closed", r
    assert r.json["return_window_days"] == 0 and r.json["delivered_at"]
    assert server.get(f"/api/v1/orders/{o['id']}/returns", token=customer).json["items"] == []


def test_receive_with_and_without_restock_and_twice_refunds_once(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=1200, stock=10)
    o = delivered_order(server, admin, customer, [(a["id"], 4)])
    assert stock_of(server, a["id"]) == 6
    r1 = ask(server, o["id"], [(a["id"], 1)], token=customer).json
    r2 = ask(server, o["id"], [(a["id"], 2)], token=customer).json

    got = receive(server, admin, r1["id"], restock=True)
    assert got.status == 200, got
    got = got.json
    assert got["status"] == "received" and got["restocked"] is True and got["received_at"]
    assert stock_of(server, a["id"]) == 7
    assert payment_of(server, admin, o["id"])["amount_refunded"] == 1200

    # Twice: 200, the same return, no second refund and no second restock.
    again = receive(server, admin, r1["id"], restock=True)
    assert again.status == 200 and again.json == got
    assert payment_of(server, admin, o["id"])["amount_refunded"] == 1200
    assert stock_of(server, a["id"]) == 7

    got2 = receive(server, admin, r2["id"], restock=False).json
    assert got2["restocked"] is False and stock_of(server, a["id"]) == 7
    p = payment_of(server, admin, o["id"])
    assert p["amount_refunded"] == 1200 + 2400 and p["status"] == "partially_refunded"

    # The events carry what issue 19's e-mail needs.
    events = server.get("/api/v1/events?type=return.received", token=admin).json["items"]
    data = {e["data"]["return_id"]: e["data"] for e in events}
    assert data[r1["id"]]["refund_amount"] == 1200 and data[r1["id"]]["restocked"] is True
    assert data[r2["id"]]["refund_amount"] == 2400 and data[r2["id"]]["restocked"] is False
    assert data[r1["id"]]["order_id"] == o["id"] and data[r1["id"]]["currency"] == "USD"
    assert len(events) == 2
    requested = server.get("/api/v1/events?type=return.requested", token=admin).json["items"]
    assert {e["data"]["return_id"] for e in requested} == {r1["id"], r2["id"]}
    refunds = server.get("/api/v1/events?type=payment.refunded", token=admin).json["items"]
    assert sorted(e["data"]["amount"] for e in refunds) == [1200, 2400]

    # The customer sees them too.
    mine = server.get(f"/api/v1/orders/{o['id']}/returns", token=customer).json
    assert [r["id"] for r in mine["items"]] == [r2["id"], r1["id"]] and mine["next_cursor"] is None
    assert server.get(f"/api/v1/returns/{r1['id']}", token=customer).json == got


def test_reject_then_receive_is_409_and_refunds_nothing(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=900, stock=10)
    o = delivered_order(server, admin, customer, [(a["id"], 2)])
    r = ask(server, o["id"], [(a["id"], 2)], token=customer).json
    rejected = server.post(f"/api/v1/returns/{r['id']}/reject", token=admin)
    assert rejected.status == 200 and rejected.json["status"] == "rejected" and rejected.json["rejected_at"], rejected
    got = receive(server, admin, r["id"])
    assert got.status == 409 and got.json["code"] == "invalid_transition" and got.json["return_status"] == "rejected"
    again = server.post(f"/api/v1/returns/{r['id']}/reject", token=admin)
    assert again.status == 409 and again.json["code"] == "invalid_transition"
    assert payment_of(server, admin, o["id"])["amount_refunded"] == 0
    assert stock_of(server, a["id"]) == 8
    # A rejected return's units can be asked for again; a received one cannot be rejected.
    r2 = ask(server, o["id"], [(a["id"], 2)], token=customer).json
    assert receive(server, admin, r2["id"]).status == 200
    late = server.post(f"/api/v1/returns/{r2['id']}/reject", token=admin)
    assert late.status == 409 and late.json["return_status"] == "received"
    # Unknown ids, and a receive without its decision.
    assert receive(server, admin, "ret_made_up").status == 404
    assert server.post("/api/v1/returns/ret_made_up/reject", token=admin).status == 404
    r3 = server.post(f"/api/v1/returns/{r2['id']}/receive", {}, token=admin)
    assert r3.status == 422 and [e["field"] for e in r3.json["errors"]] == ["restock"]


def test_admins_list_returns_by_status_cursor_paged(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=100, stock=20)
    o = delivered_order(server, admin, customer, [(a["id"], 5)])
    ids = [ask(server, o["id"], [(a["id"], 1)], token=customer).json["id"] for _ in range(5)]
    server.post(f"/api/v1/returns/{ids[0]}/reject", token=admin)
    receive(server, admin, ids[1])
    seen, cursor = [], None
    while True:
        page = server.get("/api/v1/returns?limit=2" + (f"&cursor={cursor}" if cursor else ""), token=admin).json
        seen += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(ids))
    by_status = lambda s: [r["id"] for r in server.get(f"/api/v1/returns?status={s}", token=admin).json["items"]]
    assert by_status("rejected") == [ids[0]]
    assert by_status("received") == [ids[1]]
    assert by_status("requested") == list(reversed(ids[2:]))
    assert server.get("/api/v1/returns?status=lost", token=admin).status == 422
    assert [r["id"] for r in server.get(f"/api/v1/returns?order_id={o['id']}&limit=100", token=admin).json["items"]] \
        == list(reversed(ids))


def test_a_guest_returns_with_its_order_token(shop):
    server, admin, _ = shop
    a = make_product(server, admin, price=2500, stock=5)
    o = guest_order(server, a["id"], quantity=2)
    token = o["order_token"]
    r = server.post("/api/v1/payments", {"order_id": o["id"], "card": {"number": "4242424242424242", "exp_month": 12,
                                                                        "exp_year": 2040, "cvc": "123"}},
                    headers={**as_guest(token), "Idempotency-Key": "g-" + uuid.uuid4().hex})
    assert r.status == 201, r
    deliver(server, admin, o["id"])
    r = ask(server, o["id"], [(a["id"], 1)], headers=as_guest(token))
    assert r.status == 201 and r.json["refund_amount"] == 2500, r
    ret = r.json
    listed = server.get(f"/api/v1/orders/{o['id']}/returns", headers=as_guest(token))
    assert listed.status == 200 and [x["id"] for x in listed.json["items"]] == [ret["id"]]
    assert server.get(f"/api/v1/returns/{ret['id']}", headers=as_guest(token)).json == ret
    # Another guest's token, or none, opens nothing.
    other = guest_order(server, a["id"], quantity=1)
    assert ask(server, o["id"], [(a["id"], 1)], headers=as_guest(other["order_token"])).status == 404
    assert server.get(f"/api/v1/returns/{ret['id']}", headers=as_guest(other["order_token"])).status == 404
    assert server.get(f"/api/v1/orders/{o['id']}/returns", headers=as_guest(other["order_token"])).status == 404
    assert ask(server, o["id"], [(a["id"], 1)]).status == 401
    assert server.get(f"/api/v1/returns/{ret['id']}").status == 401
    # A guest token never reaches the admin routes.
    assert server.post(f"/api/v1/returns/{ret['id']}/receive", {"restock": True},
                       headers=as_guest(token)).status == 401
    got = receive(server, admin, ret["id"])
    assert got.status == 200 and payment_of(server, admin, o["id"])["amount_refunded"] == 2500


def test_another_customer_gets_404_and_customers_403_on_admin_routes(shop):
    server, admin, customer = shop
    _, bob, _, _ = new_customer(server, "Bob")
    a = make_product(server, admin, price=700, stock=5)
    o = delivered_order(server, admin, customer, [(a["id"], 2)])
    ret = ask(server, o["id"], [(a["id"], 1)], token=customer).json
    r = ask(server, o["id"], [(a["id"], 1)], token=bob)
    assert r.status == 404 and r.json["code"] == "not_found" and o["id"] not in r.body
    assert server.get(f"/api/v1/orders/{o['id']}/returns", token=bob).status == 404
    r = server.get(f"/api/v1/returns/{ret['id']}", token=bob)
    assert r.status == 404 and ret["id"] not in r.body
    assert server.get("/api/v1/returns/ret_made_up", token=bob).status == 404
    for method, path, body in [("GET", "/api/v1/returns", None),
                               ("POST", f"/api/v1/returns/{ret['id']}/receive", {"restock": True}),
                               ("POST", f"/api/v1/returns/{ret['id']}/reject", None)]:
        for token in (customer, bob):
            r = server.request(method, path, body=body, token=token)
            assert r.status == 403 and r.json["code"] == "forbidden", (method, path, r)
    assert server.get("/api/v1/returns").status == 401
    # Nothing happened to the return; the admin may see and receive it.
    assert server.get(f"/api/v1/returns/{ret['id']}", token=admin).json["status"] == "requested"
    assert payment_of(server, admin, o["id"])["amount_refunded"] == 0


def test_a_return_request_replayed_with_its_key_makes_one_return(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=400, stock=5)
    o = delivered_order(server, admin, customer, [(a["id"], 2)])
    key = {"Idempotency-Key": "ret-" + uuid.uuid4().hex}
    first = ask(server, o["id"], [(a["id"], 1)], token=customer, headers=key)
    again = ask(server, o["id"], [(a["id"], 1)], token=customer, headers=key)
    assert first.status == again.status == 201 and again.json == first.json
    assert again.header("idempotent-replayed") == "true"
    assert len(server.get(f"/api/v1/orders/{o['id']}/returns", token=customer).json["items"]) == 1
    other = ask(server, o["id"], [(a["id"], 2)], token=customer, headers=key)
    assert other.status == 422 and other.json["code"] == "idempotency_key_reused"
