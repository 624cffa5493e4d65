"""Section 5 of the contract: cart and orders, against the real binary."""
import threading
import time
import uuid

import pytest

from shopd import Server, admin_env, admin_token, new_customer

ADDRESS = {"name": "Ada Lovelace", "line1": "1 Analytical Way", "city": "London", "postal_code": "N1 9GU",
           "country": "GB"}


def make_product(server, token, price=1000, stock=10, name=None):
    sku = "SKU-" + uuid.uuid4().hex[:12]
    r = server.post("/api/v1/products", {"sku": sku, "name": name or f"Widget {sku}", "description": "A widget",
                                         "price": price, "stock": stock}, token=token)
    assert r.status == 201, r
    return r.json


def stock_of(server, product_id):
    return server.get(f"/api/v1/products/{product_id}").json["stock"]


def order(server, token, items, headers=None, address=ADDRESS):
    body = {"items": [{"product_id": p, "quantity": q} for p, q in items], "shipping_address": address}
    return server.post("/api/v1/orders", body, token=token, headers=headers)


@pytest.fixture
def shop(server):
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    return server, admin, customer


def test_cart_put_get_remove_clear(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=250)
    b = make_product(server, admin, price=1999)
    assert server.get("/api/v1/cart").status == 401
    r = server.request("PUT", f"/api/v1/cart/items/{a['id']}", body={"quantity": 2}, token=customer)
    assert r.status == 200, r
    r = server.request("PUT", f"/api/v1/cart/items/{b['id']}", body={"quantity": 1}, token=customer)
    cart = server.get("/api/v1/cart", token=customer).json
    assert cart["currency"] == "USD"
    assert [(i["product_id"], i["quantity"], i["unit_price"], i["line_total"]) for i in cart["items"]] == [
        (a["id"], 2, 250, 500), (b["id"], 1, 1999, 1999)]
    assert cart["total"] == 2499
    assert {"name"} <= set(cart["items"][0])
    # quantity 0 removes the line
    cart = server.request("PUT", f"/api/v1/cart/items/{a['id']}", body={"quantity": 0}, token=customer).json
    assert [i["product_id"] for i in cart["items"]] == [b["id"]]
    cart = server.request("DELETE", f"/api/v1/cart/items/{b['id']}", token=customer).json
    assert cart["items"] == [] and cart["total"] == 0
    server.request("PUT", f"/api/v1/cart/items/{a['id']}", body={"quantity": 3}, token=customer)
    r = server.request("DELETE", "/api/v1/cart", token=customer)
    assert r.status == 200 and r.json["items"] == []


def test_cart_rejects_bad_input(shop):
    server, admin, customer = shop
    a = make_product(server, admin)
    for body in [{"quantity": -1}, {"quantity": 1.5}, {"quantity": "2"}, {}, {"quantity": 100000}]:
        r = server.request("PUT", f"/api/v1/cart/items/{a['id']}", body=body, token=customer)
        assert r.status == 422, (body, r)
        assert r.json["code"] == "validation_failed"
    r = server.request("PUT", "/api/v1/cart/items/prod_nope", body={"quantity": 1}, token=customer)
    assert r.status == 422
    r = server.request("PUT", f"/api/v1/cart/items/{a['id']}", raw=b"{not json", token=customer,
                       headers={"Content-Type": "application/json"})
    assert r.status == 400 and r.json["code"] == "invalid_json"


def test_archived_product_drops_out_of_cart_with_a_note(shop):
    server, admin, customer = shop
    a = make_product(server, admin)
    b = make_product(server, admin)
    server.request("PUT", f"/api/v1/cart/items/{a['id']}", body={"quantity": 1}, token=customer)
    server.request("PUT", f"/api/v1/cart/items/{b['id']}", body={"quantity": 1}, token=customer)
    assert server.request("DELETE", f"/api/v1/products/{a['id']}", token=admin).status == 204
    cart = server.get("/api/v1/cart", token=customer).json
    assert [i["product_id"] for i in cart["items"]] == [b["id"]]
    assert cart["notes"][0]["product_id"] == a["id"]


def test_order_from_items_reserves_stock_and_copies_prices(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=1250, stock=5)
    b = make_product(server, admin, price=99, stock=100)
    r = order(server, customer, [(a["id"], 2), (b["id"], 3)])
    assert r.status == 201, r
    o = r.json
    assert o["id"] and o["status"] == "pending_payment"
    assert o["total"] == 2 * 1250 + 3 * 99 and o["currency"] == "USD"
    assert {"id", "user_id", "status", "items", "total", "currency", "shipping_address", "created_at", "updated_at",
            "expires_at"} <= set(o)
    line = o["items"][0]
    assert line == {"product_id": a["id"], "sku": a["sku"], "name": a["name"], "unit_price": 1250, "quantity": 2,
                    "line_total": 2500, "variant_id": a["id"], "options": {}, "discount": 0, "tax": 0}
    # A shop without zones, tax rates or codes: the total is the lines' sum (section 10).
    assert (o["subtotal"], o["discount_total"], o["shipping_total"], o["tax_total"]) == (o["total"], 0, 0, 0)
    assert o["shipping"] is None and o["discount"] is None and "@" in o["email"]
    assert o["shipping_address"]["city"] == "London"
    assert r.header("location") == f"/api/v1/orders/{o['id']}"
    assert stock_of(server, a["id"]) == 3 and stock_of(server, b["id"]) == 97
    # a later price change leaves the order alone
    server.request("PATCH", f"/api/v1/products/{a['id']}", body={"price": 1}, token=admin)
    assert server.get(f"/api/v1/orders/{o['id']}", token=customer).json["items"][0]["unit_price"] == 1250


def test_insufficient_stock_reserves_nothing(shop):
    server, admin, customer = shop
    a = make_product(server, admin, stock=10)
    b = make_product(server, admin, stock=1)
    r = order(server, customer, [(a["id"], 5), (b["id"], 2)])
    assert r.status == 409
    assert r.json["code"] == "insufficient_stock"
    assert r.json["product_id"] == b["id"]
    assert stock_of(server, a["id"]) == 10 and stock_of(server, b["id"]) == 1
    assert server.get("/api/v1/orders", token=customer).json["items"] == []


def test_order_validation(shop):
    server, admin, customer = shop
    a = make_product(server, admin)
    archived = make_product(server, admin)
    server.request("DELETE", f"/api/v1/products/{archived['id']}", token=admin)
    bad = [
        {"items": [{"product_id": "prod_unknown", "quantity": 1}], "shipping_address": ADDRESS},
        {"items": [{"product_id": archived["id"], "quantity": 1}], "shipping_address": ADDRESS},
        {"items": [{"product_id": a["id"], "quantity": 0}], "shipping_address": ADDRESS},
        {"items": [{"product_id": a["id"], "quantity": -2}], "shipping_address": ADDRESS},
        {"items": [{"product_id": a["id"], "quantity": 10 ** 9}], "shipping_address": ADDRESS},
        {"items": [{"product_id": a["id"], "quantity": 1.5}], "shipping_address": ADDRESS},
        {"items": [], "shipping_address": ADDRESS},
        {"items": [{"product_id": a["id"], "quantity": 1}]},
        {"items": [{"product_id": a["id"], "quantity": 1}], "shipping_address": {"name": "x"}},
        {"items": [{"product_id": a["id"], "quantity": 1}], "shipping_address": ADDRESS, "total": 1},
        {"from_cart": True, "shipping_address": ADDRESS},  # empty cart
        {"from_cart": True, "address_id": "addr_nope"},
    ]
    for body in bad:
        r = server.post("/api/v1/orders", body, token=customer)
        assert r.status == 422, (body, r)
        assert r.json["code"] == "validation_failed"
        assert r.json["errors"], body
    assert stock_of(server, a["id"]) == 10
    assert server.post("/api/v1/orders", {"items": "x"}, token=customer).status == 422
    # without a token the buyer is a guest (section 11), who must give an e-mail
    r = server.post("/api/v1/orders", {"items": [{"product_id": a["id"], "quantity": 1}], "shipping_address": ADDRESS})
    assert r.status == 422 and [e["field"] for e in r.json["errors"]] == ["email"]


def test_order_from_cart_with_saved_address_empties_cart(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=500, stock=4)
    address = server.post("/api/v1/users/me/addresses", ADDRESS, token=customer)
    assert address.status == 201, address
    server.request("PUT", f"/api/v1/cart/items/{a['id']}", body={"quantity": 3}, token=customer)
    r = server.post("/api/v1/orders", {"from_cart": True, "address_id": address.json["id"]}, token=customer)
    assert r.status == 201, r
    assert r.json["total"] == 1500
    assert r.json["shipping_address"]["line1"] == ADDRESS["line1"]
    assert server.get("/api/v1/cart", token=customer).json["items"] == []
    assert stock_of(server, a["id"]) == 1
    # someone else's address is unknown
    _, other, _, _ = new_customer(server)
    server.request("PUT", f"/api/v1/cart/items/{a['id']}", body={"quantity": 1}, token=other)
    r = server.post("/api/v1/orders", {"from_cart": True, "address_id": address.json["id"]}, token=other)
    assert r.status == 422


def test_idempotency_key_replays_and_refuses_other_bodies(shop):
    server, admin, customer = shop
    a = make_product(server, admin, stock=10)
    key = {"Idempotency-Key": "order-" + uuid.uuid4().hex}
    first = order(server, customer, [(a["id"], 2)], headers=key)
    again = order(server, customer, [(a["id"], 2)], headers=key)
    assert first.status == again.status == 201
    assert again.json == first.json
    assert again.header("idempotent-replayed") == "true"
    assert first.header("idempotent-replayed") is None
    assert stock_of(server, a["id"]) == 8
    other = order(server, customer, [(a["id"], 3)], headers=key)
    assert other.status == 422 and other.json["code"] == "idempotency_key_reused"
    # keys belong to one user
    _, someone, _, _ = new_customer(server)
    assert order(server, someone, [(a["id"], 2)], headers=key).status == 201
    assert server.post("/api/v1/orders", {"items": []}, token=customer,
                       headers={"Idempotency-Key": "x" * 256}).status in (400, 422)


def test_concurrent_requests_with_one_key_make_one_order(shop):
    server, admin, customer = shop
    a = make_product(server, admin, stock=50)
    key = {"Idempotency-Key": "conc-" + uuid.uuid4().hex}
    results = []

    def go():
        results.append(order(server, customer, [(a["id"], 1)], headers=key))

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 8
    assert all(r.status == 201 for r in results)
    assert len({r.json["id"] for r in results}) == 1
    assert stock_of(server, a["id"]) == 49


def test_owner_isolation_and_admin_listing(shop):
    server, admin, customer = shop
    a = make_product(server, admin, stock=100)
    _, other, _, _ = new_customer(server)
    mine = [order(server, customer, [(a["id"], 1)]).json for _ in range(3)]
    theirs = order(server, other, [(a["id"], 1)]).json
    assert server.get(f"/api/v1/orders/{theirs['id']}", token=customer).status == 404
    assert server.post(f"/api/v1/orders/{theirs['id']}/cancel", token=customer).status == 404
    assert server.get("/api/v1/orders/ord_nope", token=customer).status == 404
    listed = server.get("/api/v1/orders", token=customer).json
    assert [o["id"] for o in listed["items"]] == [o["id"] for o in reversed(mine)]  # newest first
    assert listed["next_cursor"] is None
    # a customer cannot peek with ?user_id=
    peek = server.get(f"/api/v1/orders?user_id={theirs['user_id']}", token=customer).json
    assert {o["user_id"] for o in peek["items"]} == {mine[0]["user_id"]}
    everyone = server.get("/api/v1/orders?limit=100", token=admin).json["items"]
    assert {o["id"] for o in mine + [theirs]} <= {o["id"] for o in everyone}
    just_theirs = server.get(f"/api/v1/orders?user_id={theirs['user_id']}", token=admin).json["items"]
    assert [o["id"] for o in just_theirs] == [theirs["id"]]
    assert server.get(f"/api/v1/orders/{theirs['id']}", token=admin).status == 200
    # paging
    page1 = server.get("/api/v1/orders?limit=2", token=customer).json
    assert len(page1["items"]) == 2 and page1["next_cursor"]
    page2 = server.get(f"/api/v1/orders?limit=2&cursor={page1['next_cursor']}", token=customer).json
    assert [o["id"] for o in page1["items"] + page2["items"]] == [o["id"] for o in reversed(mine)]
    # status filter
    server.post(f"/api/v1/orders/{mine[0]['id']}/cancel", token=customer)
    cancelled = server.get("/api/v1/orders?status=cancelled", token=customer).json["items"]
    assert [o["id"] for o in cancelled] == [mine[0]["id"]]
    assert server.get("/api/v1/orders?status=bogus", token=customer).status == 422


def test_transitions(shop):
    server, admin, customer = shop
    a = make_product(server, admin, stock=5)
    o = order(server, customer, [(a["id"], 5)]).json
    assert stock_of(server, a["id"]) == 0
    r = server.post(f"/api/v1/orders/{o['id']}/ship", token=admin)
    assert r.status == 409 and r.json["code"] == "invalid_transition"
    assert server.post(f"/api/v1/orders/{o['id']}/deliver", token=admin).status == 409
    assert server.post(f"/api/v1/orders/{o['id']}/ship", token=customer).status == 403
    r = server.post(f"/api/v1/orders/{o['id']}/cancel", token=customer)
    assert r.status == 200 and r.json["status"] == "cancelled"
    assert r.json["expires_at"] is None
    assert stock_of(server, a["id"]) == 5
    r = server.post(f"/api/v1/orders/{o['id']}/cancel", token=customer)
    assert r.status == 409 and r.json["code"] == "invalid_transition"
    # an admin may cancel anyone's order
    o2 = order(server, customer, [(a["id"], 1)]).json
    assert server.post(f"/api/v1/orders/{o2['id']}/cancel", token=admin).json["status"] == "cancelled"


def buy_concurrently(servers, product_id, buyers):
    """Each buyer tries to buy one unit at once; returns the list of statuses."""
    statuses = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(buyers))

    def buy(i, token):
        s = servers[i % len(servers)]
        barrier.wait(10)
        r = order(s, token, [(product_id, 1)])
        with lock:
            statuses.append(r.status)

    threads = [threading.Thread(target=buy, args=(i, t)) for i, t in enumerate(buyers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return statuses


def test_sixty_buyers_for_twenty_five_units(shop):
    server, admin, _ = shop
    a = make_product(server, admin, stock=25)
    buyers = [new_customer(server)[1] for _ in range(60)]
    statuses = buy_concurrently([server], a["id"], buyers)
    assert sorted(set(statuses)) == [201, 409]
    assert statuses.count(201) == 25
    assert stock_of(server, a["id"]) == 0


def test_three_processes_on_one_database_never_oversell(tmp_path):
    db = str(tmp_path / "shared.db")
    env = dict(admin_env(), SHOPD_JWT_SECRET="a-shared-secret-for-three-replicas-0123456789")
    servers = [Server(env=env, db=db).start() for _ in range(3)]
    try:
        admin = admin_token(servers[0])
        a = make_product(servers[0], admin, stock=25)
        buyers = [new_customer(servers[i % 3])[1] for i in range(60)]
        statuses = buy_concurrently(servers, a["id"], buyers)
        assert statuses.count(201) == 25, statuses
        assert statuses.count(409) == 35
        for s in servers:
            assert stock_of(s, a["id"]) == 0
    finally:
        for s in servers:
            s.close()


def test_acknowledged_order_survives_sigkill(tmp_path):
    db = str(tmp_path / "crash.db")
    s = Server(env=admin_env(), db=db).start()
    try:
        admin = admin_token(s)
        a = make_product(s, admin, stock=7)
        _, customer, email, password = new_customer(s)
        o = order(s, customer, [(a["id"], 2)])
        assert o.status == 201
        s.kill()
        s2 = Server(env=admin_env(), db=db).start()
        try:
            admin2 = admin_token(s2)
            got = s2.get(f"/api/v1/orders/{o.json['id']}", token=admin2)
            assert got.status == 200 and got.json["total"] == o.json["total"]
            assert stock_of(s2, a["id"]) == 5
        finally:
            s2.close()
    finally:
        s.close()


def test_unpaid_orders_expire_and_release_stock(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_ORDER_TTL="1"))
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    a = make_product(server, admin, stock=3)
    o = order(server, customer, [(a["id"], 3)]).json
    assert stock_of(server, a["id"]) == 0
    deadline = time.time() + 10
    status = None
    while time.time() < deadline:
        status = server.get(f"/api/v1/orders/{o['id']}", token=customer).json["status"]
        if status == "expired":
            break
        time.sleep(0.2)
    assert status == "expired"
    assert stock_of(server, a["id"]) == 3
    r = server.post(f"/api/v1/orders/{o['id']}/cancel", token=customer)
    assert r.status == 409


def test_a_cart_holds_at_most_100_lines(shop):
    server, admin, token = shop
    products = [make_product(server, admin, price=100, stock=5) for _ in range(101)]
    for p in products[:100]:
        r = server.request("PUT", f"/api/v1/cart/items/{p['id']}", body={"quantity": 1}, token=token)
        assert r.status == 200, r
    r = server.request("PUT", f"/api/v1/cart/items/{products[100]['id']}", body={"quantity": 1}, token=token)
    assert r.status == 422 and r.json["code"] == "cart_full", r
    assert len(server.get("/api/v1/cart", token=token).json["items"]) == 100
    # Changing a line already there is no new line.
    r = server.request("PUT", f"/api/v1/cart/items/{products[0]['id']}", body={"quantity": 3}, token=token)
    assert r.status == 200, r
    # A full cart is exactly one order's worth: it checks out whole.
    r = server.post("/api/v1/orders", {"from_cart": True, "shipping_address": ADDRESS}, token=token)
    assert r.status == 201 and len(r.json["items"]) == 100, r
    assert stock_of(server, products[0]["id"]) == 2 and stock_of(server, products[100]["id"]) == 5


def test_an_order_of_101_items_is_refused_and_reserves_nothing(shop):
    """Issue 21, item 4: an order of `items` holds at most 100 lines, as a cart does. API.md
    gives `cart_full` to the cart only; for an order the 101st line is a bad field value,
    422 `validation_failed` naming `items`. Nothing is reserved, no order is made."""
    server, admin, token = shop
    products = [make_product(server, admin, price=100, stock=5) for _ in range(101)]
    lines = [(p["id"], 1) for p in products]
    r = server.post("/api/v1/checkout/quote", {"items": [{"product_id": p, "quantity": q} for p, q in lines],
                                               "shipping_address": ADDRESS}, token=token)
    assert r.status == 422 and r.json["code"] == "validation_failed", r
    r = order(server, token, lines)
    assert r.status == 422 and r.json["code"] == "validation_failed", r
    assert any(e["field"] == "items" and "100" in e["message"] for e in r.json["errors"]), r
    assert all(stock_of(server, p["id"]) == 5 for p in products)
    assert server.get("/api/v1/orders", token=token).json["items"] == []
    # One line fewer is an order.
    r = order(server, token, lines[:100])
    assert r.status == 201 and len(r.json["items"]) == 100, r
    assert stock_of(server, products[0]["id"]) == 4 and stock_of(server, products[100]["id"]) == 5


def test_a_buyer_holds_at_most_five_unpaid_orders(shop):
    server, admin, token = shop
    p = make_product(server, admin, price=100, stock=50)
    made = [order(server, token, [(p["id"], 1)]) for _ in range(5)]
    assert all(r.status == 201 for r in made), made
    r = order(server, token, [(p["id"], 1)])
    assert r.status == 409 and r.json["code"] == "too_many_open_orders" and r.json["max_open_orders"] == 5, r
    assert stock_of(server, p["id"]) == 45  # the refused order took nothing
    assert server.post(f"/api/v1/orders/{made[0].json['id']}/cancel", token=token).status == 200
    assert order(server, token, [(p["id"], 1)]).status == 201
    # Another buyer is not held back by this one.
    _, other, _, _ = new_customer(server)
    assert order(server, other, [(p["id"], 1)]).status == 201


def test_the_open_order_cap_is_a_setting(make_server):
    s = make_server(env={**admin_env(), "SHOPD_MAX_OPEN_ORDERS": "0"})
    admin = admin_token(s)
    _, token, _, _ = new_customer(s)
    p = make_product(s, admin, price=100, stock=50)
    assert all(order(s, token, [(p["id"], 1)]).status == 201 for _ in range(7))
