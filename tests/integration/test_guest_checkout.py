"""Section 11, guest checkout: quote, order, pay, read and cancel without an account; the
order token opens its own order and nothing else."""
import uuid

import pytest

from shopd import admin_env, admin_token, login, new_customer, run_cli
from test_checkout_pricing import DE, discount, tax_rate, zone
from test_orders import make_product, stock_of
from test_payments import card, pay


def guest_body(product_id, quantity=1, email="Guest.Buyer@Example.COM", **extra):
    body = {"items": [{"product_id": product_id, "quantity": quantity}], "shipping_address": DE, **extra}
    if email is not None:
        body["email"] = email
    return body


def guest_order(server, product_id, **kw):
    r = server.post("/api/v1/orders", guest_body(product_id, **kw))
    assert r.status == 201, r
    return r.json


def as_guest(token):
    return {"X-Order-Token": token}


@pytest.fixture
def shop(server):
    return server, admin_token(server)


def test_a_guest_quotes_orders_pays_and_reads_its_order(shop):
    server, admin = shop
    a = make_product(server, admin, price=2500, stock=5)
    _, (standard,) = zone(server, admin, ["DE"], [("Standard", 490, {})])
    tax_rate(server, admin, "DE", 1900, shipping_taxable=True)
    q = server.post("/api/v1/checkout/quote", guest_body(a["id"], 2, email=None, shipping_rate_id=standard))
    assert q.status == 200, q
    assert (q.json["subtotal"], q.json["shipping_total"], q.json["tax_total"]) == (5000, 490, 950 + 93)

    o = guest_order(server, a["id"], quantity=2, shipping_rate_id=standard)
    token = o["order_token"]
    assert token.startswith("otok_") and len(token) > 30
    assert o["user_id"] is None and o["email"] == "guest.buyer@example.com"
    assert {k: o[k] for k in ("subtotal", "shipping_total", "tax_total", "total")} == \
        {k: q.json[k] for k in ("subtotal", "shipping_total", "tax_total", "total")}
    assert stock_of(server, a["id"]) == 3

    got = server.get(f"/api/v1/orders/{o['id']}", headers=as_guest(token))
    assert got.status == 200 and "order_token" not in got.json  # shown once
    assert got.json == {k: v for k, v in o.items() if k != "order_token"}

    r = server.post("/api/v1/payments", {"order_id": o["id"], "card": card()},
                    headers={**as_guest(token), "Idempotency-Key": "guest-pay-" + uuid.uuid4().hex})
    assert r.status == 201 and r.json["status"] == "succeeded" and r.json["amount"] == o["total"], r
    assert server.get(f"/api/v1/orders/{o['id']}", headers=as_guest(token)).json["status"] == "paid"


def test_the_order_token_opens_its_own_order_and_nothing_else(shop):
    server, admin = shop
    a = make_product(server, admin, price=1000, stock=10)
    mine = guest_order(server, a["id"])
    theirs = guest_order(server, a["id"], email="other@example.com")
    token = mine["order_token"]
    # another guest's order, a made-up token, no token at all
    assert server.get(f"/api/v1/orders/{theirs['id']}", headers=as_guest(token)).status == 404
    assert server.get(f"/api/v1/orders/{mine['id']}", headers=as_guest("otok_" + "x" * 32)).status == 404
    r = server.get(f"/api/v1/orders/{mine['id']}")
    assert r.status == 401 and r.header("www-authenticate")
    # never a bearer token, and it opens no other route
    assert server.get(f"/api/v1/orders/{mine['id']}", token=token).status == 401
    assert server.get("/api/v1/orders", headers=as_guest(token)).status == 401
    assert server.get("/api/v1/cart", headers=as_guest(token)).status == 401
    assert server.post(f"/api/v1/orders/{mine['id']}/ship", headers=as_guest(token)).status == 401
    r = server.post("/api/v1/payments", {"order_id": theirs["id"], "card": card()},
                    headers={**as_guest(token), "Idempotency-Key": "k-" + uuid.uuid4().hex})
    assert r.status == 404
    assert server.post(f"/api/v1/orders/{theirs['id']}/cancel", headers=as_guest(token)).status == 404
    # a signed-in customer does not see a guest's order either
    _, customer, _, _ = new_customer(server)
    assert server.get(f"/api/v1/orders/{mine['id']}", token=customer).status == 404
    # the guest cancels its own: the stock comes back
    r = server.post(f"/api/v1/orders/{mine['id']}/cancel", headers=as_guest(token))
    assert r.status == 200 and r.json["status"] == "cancelled"
    assert stock_of(server, a["id"]) == 9


def test_guest_mistakes_are_422_and_reserve_nothing(shop):
    server, admin = shop
    a = make_product(server, admin, price=1000, stock=4)
    cases = [
        (guest_body(a["id"], email=None), "email"),
        (guest_body(a["id"], email="not-an-address"), "email"),
        ({"from_cart": True, "shipping_address": DE, "email": "g@example.com"}, "from_cart"),
        ({"items": [{"product_id": a["id"], "quantity": 1}], "address_id": "addr_1", "email": "g@example.com"},
         "address_id"),
    ]
    for body, field in cases:
        r = server.post("/api/v1/orders", body)
        assert r.status == 422 and r.json["code"] == "validation_failed", (body, r)
        assert any(e["field"] == field for e in r.json["errors"]), (field, r.json)
    assert stock_of(server, a["id"]) == 4
    # an expired or forged bearer token is not a guest: 401
    r = server.post("/api/v1/orders", guest_body(a["id"]), token="not.a.jwt")
    assert r.status == 401 and stock_of(server, a["id"]) == 4


def test_a_signed_in_buyer_orders_under_the_accounts_email(shop):
    server, admin = shop
    a = make_product(server, admin, price=1000)
    _, customer, email, _ = new_customer(server)
    r = server.post("/api/v1/orders", guest_body(a["id"], email="someone.else@example.com"), token=customer)
    assert r.status == 201 and r.json["email"] == email and "order_token" not in r.json
    assert r.json["user_id"]


def test_a_guest_who_registers_finds_their_earlier_orders_in_their_account(shop):
    server, admin = shop
    a = make_product(server, admin, price=1000, stock=10)
    email = f"later.{uuid.uuid4().hex[:10]}@example.com"
    paid = guest_order(server, a["id"], email=email.upper())
    assert pay_as_guest(server, paid["order_token"], paid["id"], "k-" + uuid.uuid4().hex).status == 201
    unpaid = guest_order(server, a["id"], email=email)
    to_cancel = guest_order(server, a["id"], email=email)
    someone_else = guest_order(server, a["id"], email="not." + email)

    r = server.post("/api/v1/users", {"email": email, "password": "customer-password-1", "name": "Later"})
    assert r.status == 201, r
    user = r.json
    token = login(server, email, "customer-password-1")
    mine = server.get("/api/v1/orders", token=token)
    assert mine.status == 200
    assert {o["id"] for o in mine.json["items"]} == {paid["id"], unpaid["id"], to_cancel["id"]}
    assert all(o["user_id"] == user["id"] for o in mine.json["items"])
    # the account opens and cancels them like its own
    assert server.get(f"/api/v1/orders/{paid['id']}", token=token).status == 200
    assert server.post(f"/api/v1/orders/{to_cancel['id']}/cancel", token=token).json["status"] == "cancelled"
    assert server.get(f"/api/v1/orders/{someone_else['id']}", token=token).status == 404
    # and the token the guest kept still reads and pays its order
    assert server.get(f"/api/v1/orders/{paid['id']}", headers=as_guest(paid["order_token"])).status == 200
    r = pay_as_guest(server, unpaid["order_token"], unpaid["id"], "k-" + uuid.uuid4().hex)
    assert r.status == 201 and r.json["status"] == "succeeded", r
    assert server.get(f"/api/v1/orders/{unpaid['id']}", token=token).json["status"] == "paid"

    # a guest order placed with that e-mail after the account exists stays a guest's
    after = guest_order(server, a["id"], email=email)
    assert after["user_id"] is None
    ids = {o["id"] for o in server.get("/api/v1/orders", token=token).json["items"]}
    assert after["id"] not in ids


def test_an_account_made_while_the_server_is_down_takes_its_guest_orders_at_start(make_server):
    # `shopd user create` runs without the order module's subscriber: the claim catches up
    # from the event log when the server starts again.
    server = make_server(env=admin_env())
    admin = admin_token(server)
    a = make_product(server, admin, price=700, stock=5)
    email = f"offline.{uuid.uuid4().hex[:10]}@example.com"
    o = guest_order(server, a["id"], email=email)
    server.stop()
    r = run_cli(["user", "create", "--db", server.db, "--email", email, "--password", "customer-password-1"],
                env=server.env)
    assert r.returncode == 0, r.stderr
    server.start()
    token = login(server, email, "customer-password-1")
    assert [x["id"] for x in server.get("/api/v1/orders", token=token).json["items"]] == [o["id"]]


def test_a_guests_open_orders_are_capped_by_email(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_MAX_OPEN_ORDERS="2"))
    admin = admin_token(server)
    a = make_product(server, admin, price=1000, stock=10)
    guest_order(server, a["id"], email="cap@example.com")
    guest_order(server, a["id"], email="CAP@example.com")
    r = server.post("/api/v1/orders", guest_body(a["id"], email="cap@example.com"))
    assert r.status == 409 and r.json["code"] == "too_many_open_orders"
    guest_order(server, a["id"], email="another@example.com")


def test_a_code_per_customer_counts_a_guest_and_an_account_with_one_email_as_one(shop):
    server, admin = shop
    a = make_product(server, admin, price=1000, stock=10)
    d = discount(server, admin, per_customer_limit=1)
    _, customer, email, _ = new_customer(server)
    o = guest_order(server, a["id"], email=email.upper(), discount_code=d["code"])
    assert o["discount"]["amount"] == 100
    r = server.post("/api/v1/orders", guest_body(a["id"], discount_code=d["code"], email=None),
                    token=customer)
    assert r.status == 409 and r.json["code"] == "discount_exhausted", r
    r = server.post("/api/v1/checkout/quote", guest_body(a["id"], email=email, discount_code=d["code"]))
    assert r.status == 409 and r.json["code"] == "discount_exhausted"
    # a guest quote before the e-mail is known shows the code
    r = server.post("/api/v1/checkout/quote", guest_body(a["id"], email=None, discount_code=d["code"]))
    assert r.status == 200 and r.json["discount_total"] == 100


def test_a_guest_order_replayed_with_its_key_carries_its_token_again(shop):
    server, admin = shop
    a = make_product(server, admin, price=1000, stock=10)
    headers = {"Idempotency-Key": "guest-" + uuid.uuid4().hex}
    first = server.post("/api/v1/orders", guest_body(a["id"]), headers=headers)
    again = server.post("/api/v1/orders", guest_body(a["id"]), headers=headers)
    assert first.status == again.status == 201
    assert again.header("idempotent-replayed") == "true" and again.json == first.json
    assert stock_of(server, a["id"]) == 9
    token = first.json["order_token"]
    key = "pay-" + uuid.uuid4().hex
    p1 = pay_as_guest(server, token, first.json["id"], key)
    p2 = pay_as_guest(server, token, first.json["id"], key)
    assert p1.status == p2.status == 201 and p1.json == p2.json


def pay_as_guest(server, token, order_id, key):
    return server.post("/api/v1/payments", {"order_id": order_id, "card": card()},
                       headers={**as_guest(token), "Idempotency-Key": key})


def test_a_users_payment_needs_no_token(shop):
    server, admin = shop
    a = make_product(server, admin, price=1000)
    _, customer, _, _ = new_customer(server)
    o = server.post("/api/v1/orders", guest_body(a["id"], email=None), token=customer).json
    assert pay(server, customer, o["id"]).status == 201
    assert server.post("/api/v1/payments", {"order_id": o["id"], "card": card()},
                       headers={"Idempotency-Key": "k"}).status == 401
