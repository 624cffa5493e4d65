"""Section 11 of the contract, shipments: POST /api/v1/orders/{id}/shipments, the
partially_shipped state, the order's `shipments`, the /ship shortcut and the
shipment.created event, against the real binary."""
import os
import threading

import pytest

from shopd import Server, admin_env, admin_token, new_customer
from test_events import every_event
from test_orders import make_product, order
from test_payments import SECRET, pay

UPS = {"carrier": "UPS", "tracking_number": "1Z999AA10123456784",
       "tracking_url": "https://www.ups.com/track?tracknum=1Z999AA10123456784"}


@pytest.fixture
def shop(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_WEBHOOK_SECRET=SECRET))
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    return server, admin, customer


def paid_order(server, admin, customer, lines):
    """A paid order of fresh products, one per (quantity, price) in lines; returns (order, products)."""
    products = [make_product(server, admin, price=price, stock=10) for _, price in lines]
    r = order(server, customer, [(p["id"], q) for p, (q, _) in zip(products, lines)])
    assert r.status == 201, r
    assert pay(server, customer, r.json["id"]).status == 201
    o = server.get(f"/api/v1/orders/{r.json['id']}", token=customer).json
    assert o["status"] == "paid" and o["shipments"] == []
    return o, products


def ship(server, token, order_id, items=None, **fields):
    body = dict(UPS, **fields)
    if items is not None:
        body["items"] = [{"variant_id": v, "quantity": q} for v, q in items]
    return server.post(f"/api/v1/orders/{order_id}/shipments", body, token=token)


def status_of(server, token, order_id):
    return server.get(f"/api/v1/orders/{order_id}", token=token).json["status"]


def errors_of(r):
    assert r.status == 422 and r.json["code"] == "validation_failed", r
    return [e["field"] for e in r.json["errors"]]


def test_partial_then_full_shipment(shop):
    server, admin, customer = shop
    o, (a, b) = paid_order(server, admin, customer, [(3, 1000), (1, 500)])

    r = ship(server, admin, o["id"], [(a["id"], 2)])
    assert r.status == 201, r
    first = r.json
    assert set(first) == {"id", "carrier", "tracking_number", "tracking_url", "items", "created_at"}
    assert first["id"].startswith("shp_")
    assert (first["carrier"], first["tracking_number"], first["tracking_url"]) == (
        UPS["carrier"], UPS["tracking_number"], UPS["tracking_url"])
    assert first["items"] == [{"variant_id": a["id"], "quantity": 2}]

    got = server.get(f"/api/v1/orders/{o['id']}", token=customer).json
    assert got["status"] == "partially_shipped"
    assert got["shipments"] == [first]

    r = ship(server, admin, o["id"], [(b["id"], 1), (a["id"], 1)], carrier="DHL", tracking_url=None)
    assert r.status == 201, r
    second = r.json
    assert second["carrier"] == "DHL" and second["tracking_url"] is None
    assert second["items"] == [{"variant_id": b["id"], "quantity": 1}, {"variant_id": a["id"], "quantity": 1}]

    got = server.get(f"/api/v1/orders/{o['id']}", token=customer).json
    assert got["status"] == "shipped"
    assert [s["id"] for s in got["shipments"]] == [first["id"], second["id"]]  # oldest first
    # Lists carry them too, and filter by the new state.
    listed = server.get("/api/v1/orders", token=customer).json["items"]
    assert [x["shipments"] for x in listed if x["id"] == o["id"]] == [got["shipments"]]
    assert all(x["shipments"] == [] for x in listed if x["id"] != o["id"])

    # Nothing left: another shipment is a transition the order no longer has.
    r = ship(server, admin, o["id"])
    assert r.status == 409 and r.json["code"] == "invalid_transition", r

    # The event log: one shipment.created per shipment, order.shipped once, after the last.
    log = [e for e in every_event(server, admin) if e["data"].get("order_id") == o["id"]]
    created = [e["data"] for e in log if e["type"] == "shipment.created"]
    assert created == [
        {"order_id": o["id"], "user_id": o["user_id"], "shipment_id": first["id"], "carrier": "UPS",
         "tracking_number": UPS["tracking_number"], "tracking_url": UPS["tracking_url"], "items": first["items"]},
        {"order_id": o["id"], "user_id": o["user_id"], "shipment_id": second["id"], "carrier": "DHL",
         "tracking_number": UPS["tracking_number"], "tracking_url": None, "items": second["items"]},
    ]
    types = [e["type"] for e in log]
    assert types.count("order.shipped") == 1
    assert types.index("order.shipped") > max(i for i, t in enumerate(types) if t == "shipment.created")


def test_status_filter_finds_partially_shipped_orders(shop):
    server, admin, customer = shop
    partial, (a,) = paid_order(server, admin, customer, [(2, 100)])
    other, _ = paid_order(server, admin, customer, [(1, 100)])
    assert ship(server, admin, partial["id"], [(a["id"], 1)]).status == 201
    for token in (customer, admin):
        r = server.get("/api/v1/orders?status=partially_shipped", token=token)
        assert r.status == 200, r
        assert [x["id"] for x in r.json["items"]] == [partial["id"]]
        assert r.json["items"][0]["shipments"][0]["items"] == [{"variant_id": a["id"], "quantity": 1}]
    r = server.get("/api/v1/orders?status=half_shipped", token=admin)
    assert r.status == 422 and "partially_shipped" in r.json["errors"][0]["message"]


def test_items_default_to_everything_not_yet_shipped(shop):
    server, admin, customer = shop
    o, (a, b) = paid_order(server, admin, customer, [(2, 1000), (3, 700)])
    r = ship(server, admin, o["id"])
    assert r.status == 201, r
    assert r.json["items"] == [{"variant_id": a["id"], "quantity": 2}, {"variant_id": b["id"], "quantity": 3}]
    assert status_of(server, customer, o["id"]) == "shipped"  # paid -> shipped at once

    o, (a, b) = paid_order(server, admin, customer, [(2, 1000), (3, 700)])
    assert ship(server, admin, o["id"], [(b["id"], 1)]).status == 201
    r = ship(server, admin, o["id"], items=None)
    assert r.json["items"] == [{"variant_id": a["id"], "quantity": 2}, {"variant_id": b["id"], "quantity": 2}]
    assert status_of(server, customer, o["id"]) == "shipped"


def test_more_than_is_left_is_422_and_writes_nothing(shop):
    server, admin, customer = shop
    o, (a, b) = paid_order(server, admin, customer, [(2, 1000), (1, 500)])
    assert errors_of(ship(server, admin, o["id"], [(a["id"], 3)])) == ["items[0].quantity"]
    assert ship(server, admin, o["id"], [(a["id"], 1)]).status == 201
    # One unit of a is left: two is too many, and so are two lines of one each.
    assert errors_of(ship(server, admin, o["id"], [(b["id"], 1), (a["id"], 2)])) == ["items[1].quantity"]
    assert errors_of(ship(server, admin, o["id"], [(a["id"], 1), (a["id"], 1)])) == ["items[1].quantity"]
    got = server.get(f"/api/v1/orders/{o['id']}", token=admin).json
    assert got["status"] == "partially_shipped" and len(got["shipments"]) == 1
    created = [e for e in every_event(server, admin, type="shipment.created") if e["data"]["order_id"] == o["id"]]
    assert len(created) == 1


def test_unknown_variant_and_bad_fields_are_422_naming_each_field(shop):
    server, admin, customer = shop
    o, (a,) = paid_order(server, admin, customer, [(2, 1000)])
    stranger = make_product(server, admin)
    assert errors_of(ship(server, admin, o["id"], [(stranger["id"], 1)])) == ["items[0].variant_id"]
    assert errors_of(ship(server, admin, o["id"], [("var_nope", 1), (a["id"], 5)])) == [
        "items[0].variant_id", "items[1].quantity"]
    path = f"/api/v1/orders/{o['id']}/shipments"
    cases = [
        ({"tracking_number": "1"}, ["carrier"]),
        ({"carrier": "", "tracking_number": "1"}, ["carrier"]),
        ({"carrier": "x" * 101, "tracking_number": "1"}, ["carrier"]),
        ({"carrier": "UPS"}, ["tracking_number"]),
        ({"carrier": "UPS", "tracking_number": "t" * 101}, ["tracking_number"]),
        ({"carrier": "UPS", "tracking_number": 7}, ["tracking_number"]),
        (dict(UPS, tracking_url="ftp://example.com/x"), ["tracking_url"]),
        (dict(UPS, tracking_url="not a url"), ["tracking_url"]),
        (dict(UPS, tracking_url=""), ["tracking_url"]),
        (dict(UPS, tracking_url="https://example.com/" + "x" * 2048), ["tracking_url"]),
        (dict(UPS, items=[]), ["items"]),
        (dict(UPS, items=[{"variant_id": a["id"], "quantity": 0}]), ["items[0].quantity"]),
        (dict(UPS, items=[{"variant_id": a["id"], "quantity": -1}]), ["items[0].quantity"]),
        (dict(UPS, items=[{"variant_id": a["id"], "quantity": 1.5}]), ["items[0].quantity"]),
        (dict(UPS, items=[{"quantity": 1}]), ["items[0].variant_id"]),
        (dict(UPS, items=["x"]), ["items[0]"]),
        (dict(UPS, items={"variant_id": a["id"]}), ["items"]),
        (dict(UPS, status="shipped"), ["status"]),
    ]
    for body, fields in cases:
        r = server.post(path, body, token=admin)
        assert errors_of(r) == fields, (body, r)
    # A URL of exactly 2048 characters is fine.
    url = "https://example.com/" + "x" * (2048 - len("https://example.com/"))
    r = ship(server, admin, o["id"], [(a["id"], 1)], tracking_url=url)
    assert r.status == 201 and r.json["tracking_url"] == url
    assert len(server.get(f"/api/v1/orders/{o['id']}", token=admin).json["shipments"]) == 1


def test_only_paid_or_partially_shipped_orders_take_a_shipment(shop):
    server, admin, customer = shop
    p = make_product(server, admin, stock=10)
    unpaid = order(server, customer, [(p["id"], 1)]).json
    r = ship(server, admin, unpaid["id"])
    assert r.status == 409 and r.json["code"] == "invalid_transition", r
    assert r.json["order_status"] == "pending_payment"

    assert server.post(f"/api/v1/orders/{unpaid['id']}/cancel", token=customer).status == 200
    r = ship(server, admin, unpaid["id"])
    assert r.status == 409 and r.json["order_status"] == "cancelled", r

    refunded, _ = paid_order(server, admin, customer, [(1, 100)])
    assert server.post(f"/api/v1/orders/{refunded['id']}/cancel", token=customer).status == 200
    assert ship(server, admin, refunded["id"]).status == 409

    delivered, _ = paid_order(server, admin, customer, [(1, 100)])
    assert ship(server, admin, delivered["id"]).status == 201
    assert server.post(f"/api/v1/orders/{delivered['id']}/deliver", token=admin).status == 200
    r = ship(server, admin, delivered["id"])
    assert r.status == 409 and r.json["order_status"] == "delivered", r
    assert len(server.get(f"/api/v1/orders/{delivered['id']}", token=admin).json["shipments"]) == 1

    r = ship(server, admin, "ord_01nonexistent000000000000")
    assert r.status == 404 and r.json["code"] == "not_found", r


def test_ship_shortcut_ships_what_is_left_without_tracking(shop):
    server, admin, customer = shop
    o, (a, b) = paid_order(server, admin, customer, [(3, 1000), (2, 500)])
    assert ship(server, admin, o["id"], [(a["id"], 1)]).status == 201
    r = server.post(f"/api/v1/orders/{o['id']}/ship", token=admin)
    assert r.status == 200, r
    assert r.json["status"] == "shipped"
    rest = r.json["shipments"][-1]
    assert len(r.json["shipments"]) == 2
    assert (rest["carrier"], rest["tracking_number"], rest["tracking_url"]) == (None, None, None)
    assert rest["items"] == [{"variant_id": a["id"], "quantity": 2}, {"variant_id": b["id"], "quantity": 2}]
    r = server.post(f"/api/v1/orders/{o['id']}/ship", token=admin)
    assert r.status == 409 and r.json["code"] == "invalid_transition"

    # From paid, as before: one shipment of everything.
    o, _ = paid_order(server, admin, customer, [(1, 100)])
    r = server.post(f"/api/v1/orders/{o['id']}/ship", token=admin)
    assert r.status == 200 and r.json["status"] == "shipped" and len(r.json["shipments"]) == 1


def test_deliver_only_from_shipped_and_no_cancel_once_partially_shipped(shop):
    server, admin, customer = shop
    o, (a,) = paid_order(server, admin, customer, [(2, 1000)])
    r = server.post(f"/api/v1/orders/{o['id']}/deliver", token=admin)
    assert r.status == 409 and r.json["code"] == "invalid_transition", r
    assert ship(server, admin, o["id"], [(a["id"], 1)]).status == 201

    r = server.post(f"/api/v1/orders/{o['id']}/deliver", token=admin)
    assert r.status == 409 and r.json["code"] == "invalid_transition", r
    for token in (customer, admin):
        r = server.post(f"/api/v1/orders/{o['id']}/cancel", token=token)
        assert r.status == 409 and r.json["code"] == "invalid_transition", r
    payment = server.get(f"/api/v1/orders/{o['id']}/payments", token=customer).json["items"][0]
    assert payment["status"] == "succeeded" and payment["amount_refunded"] == 0

    assert ship(server, admin, o["id"]).status == 201
    r = server.post(f"/api/v1/orders/{o['id']}/deliver", token=admin)
    assert r.status == 200 and r.json["status"] == "delivered"
    assert len(r.json["shipments"]) == 2


def test_customers_cannot_ship(shop):
    server, admin, customer = shop
    o, (a,) = paid_order(server, admin, customer, [(1, 100)])
    r = ship(server, customer, o["id"])
    assert r.status == 403 and r.json["code"] == "forbidden", r
    r = server.post(f"/api/v1/orders/{o['id']}/shipments", UPS)
    assert r.status == 401
    assert status_of(server, customer, o["id"]) == "paid"


def race(targets, count):
    """Runs count calls at once (targets(i) makes call i); returns their statuses."""
    statuses = []
    lock = threading.Lock()
    barrier = threading.Barrier(count)

    def run(i):
        barrier.wait(10)
        r = targets(i)
        with lock:
            statuses.append(r.status)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return statuses


def test_concurrent_shipments_never_ship_more_than_was_ordered(shop):
    server, admin, customer = shop
    o, (a, b) = paid_order(server, admin, customer, [(5, 1000), (3, 500)])
    # 16 clerks at once: eight want one of a (5 ordered), eight want one of b (3 ordered).
    statuses = race(lambda i: ship(server, admin, o["id"], [((a if i % 2 else b)["id"], 1)]), 16)
    assert statuses.count(201) == 8, statuses
    assert set(statuses) <= {201, 409, 422}, statuses
    got = server.get(f"/api/v1/orders/{o['id']}", token=admin).json
    assert got["status"] == "shipped"
    shipped = {}
    for s in got["shipments"]:
        for line in s["items"]:
            shipped[line["variant_id"]] = shipped.get(line["variant_id"], 0) + line["quantity"]
    assert shipped == {a["id"]: 5, b["id"]: 3}
    log = [e for e in every_event(server, admin) if e["data"].get("order_id") == o["id"]]
    assert [e["type"] for e in log].count("shipment.created") == 8
    assert [e["type"] for e in log].count("order.shipped") == 1


def test_two_processes_racing_everything_left_ship_it_once(tmp_path):
    """Two servers on one database: both ask for everything left at once; one wins."""
    db = str(tmp_path / "shop.db")
    env = dict(admin_env(), SHOPD_WEBHOOK_SECRET=SECRET)
    servers = [Server(env=env, db=db).start()]
    try:
        servers.append(Server(env=env, db=db).start())
        admin = admin_token(servers[0])
        _, customer, _, _ = new_customer(servers[0])
        for _ in range(3):
            o, (a,) = paid_order(servers[0], admin, customer, [(4, 100)])
            statuses = race(lambda i: (servers[i % 2].post(f"/api/v1/orders/{o['id']}/ship", token=admin)
                                       if i % 3 == 0 else ship(servers[i % 2], admin, o["id"])), 6)
            assert set(statuses) <= {200, 201, 409} and sum(s in (200, 201) for s in statuses) == 1, statuses
            got = servers[1].get(f"/api/v1/orders/{o['id']}", token=admin).json
            assert got["status"] == "shipped" and len(got["shipments"]) == 1
            assert got["shipments"][0]["items"] == [{"variant_id": a["id"], "quantity": 4}]
    finally:
        for s in servers:
            s.close()
