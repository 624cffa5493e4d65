"""Section 7 of the contract, GET /api/v1/events: the append-only domain event log for
export, against the real binary."""
import re
import urllib.parse

import pytest

from shopd import Server, admin_env, admin_token, new_customer
from test_orders import make_product, order
from test_payments import SECRET, pay

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture
def shop(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_WEBHOOK_SECRET=SECRET))
    admin = admin_token(server)
    user, customer, _, _ = new_customer(server)
    return server, admin, customer, user


def events(server, token, **params):
    r = server.get("/api/v1/events?" + urllib.parse.urlencode(params), token=token)
    assert r.status == 200, r
    return r.json


def every_event(server, token, **params):
    out, cursor = [], None
    for _ in range(1000):
        p = dict(params)
        if cursor:
            p["cursor"] = cursor
        page = events(server, token, **p)
        out += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return out
    raise AssertionError("paging did not end")


def seq(event_id):
    assert re.fullmatch(r"evt_\d+", event_id), event_id
    return int(event_id[4:])


def test_admin_only(shop):
    server, _, customer, _ = shop
    r = server.get("/api/v1/events")
    assert r.status == 401 and r.header("www-authenticate").startswith("Bearer")
    r = server.get("/api/v1/events", token=customer)
    assert r.status == 403 and r.json["code"] == "forbidden"


def test_a_sale_leaves_its_events_oldest_first_with_the_ids_they_concern(shop):
    server, admin, customer, user = shop
    p = make_product(server, admin, price=1250, stock=5)
    o = order(server, customer, [(p["id"], 2)]).json
    payment = pay(server, customer, o["id"]).json
    assert payment["status"] == "succeeded"

    log = every_event(server, admin)
    assert [seq(e["id"]) for e in log] == sorted(seq(e["id"]) for e in log)
    assert len({e["id"] for e in log}) == len(log)
    for e in log:
        assert set(e) == {"id", "type", "created_at", "data"}
        assert RFC3339.match(e["created_at"]), e
        assert isinstance(e["data"], dict)
    types = [e["type"] for e in log]
    for t in ["user.registered", "product.created", "order.created", "payment.succeeded", "order.paid"]:
        assert t in types, t
    assert types.index("product.created") < types.index("order.created") < types.index("order.paid")

    def one(t):
        found = [e for e in log if e["type"] == t and e["data"].get("order_id", o["id"]) == o["id"]]
        assert found, t
        return found[-1]["data"]

    assert one("user.registered")["user_id"] == user["id"]
    assert one("product.created")["product_id"] == p["id"]
    assert one("order.created")["order_id"] == o["id"] and one("order.created")["user_id"] == user["id"]
    paid = one("order.paid")
    assert paid["payment_id"] == payment["id"] and paid["total"] == 2500 and paid["currency"] == "USD"
    assert paid["items"] == [{"product_id": p["id"], "variant_id": p["id"], "quantity": 2, "unit_price": 1250}]
    assert one("payment.succeeded")["payment_id"] == payment["id"]

    refund = server.post(f"/api/v1/payments/{payment['id']}/refunds", {"amount": 500}, token=admin,
                         headers={"Idempotency-Key": "refund-1"})
    assert refund.status == 201, refund
    last = events(server, admin, type="payment.refunded")["items"]
    assert [e["data"]["refund_id"] for e in last] == [refund.json["id"]]
    assert last[0]["data"]["amount"] == 500 and last[0]["data"]["order_id"] == o["id"]


def test_after_type_and_paging(shop):
    server, admin, _, _ = shop
    made = [make_product(server, admin)["id"] for _ in range(7)]
    log = every_event(server, admin)
    created = [e for e in log if e["type"] == "product.created"]
    assert [e["data"]["product_id"] for e in created] == made

    # after: only later events
    pivot = created[2]["id"]
    later = events(server, admin, after=pivot, limit=100)["items"]
    assert later == [e for e in log if seq(e["id"]) > seq(pivot)]
    assert events(server, admin, after=log[-1]["id"])["items"] == []
    assert events(server, admin, after="evt_0", limit=100)["items"] == log[:100]

    # type filter, with after
    typed = events(server, admin, type="product.created", after=pivot)["items"]
    assert [e["data"]["product_id"] for e in typed] == made[3:]
    assert events(server, admin, type="no.such.type")["items"] == []

    # pages of 3 by cursor cover the log once, in order
    pages = []
    cursor = None
    for _ in range(100):
        params = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = events(server, admin, **params)
        assert len(page["items"]) <= 3
        pages += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == log

    # paging by after with the last id seen works the same
    by_after, last = [], "evt_0"
    for _ in range(100):
        page = events(server, admin, after=last, limit=4)["items"]
        if not page:
            break
        by_after += page
        last = page[-1]["id"]
    assert by_after == log


def test_bad_parameters_are_422(shop):
    server, admin, _, _ = shop
    for query in ["after=42", "after=evt_", "after=evt_x", "after=evt_-1", "after=evt_1.5", "after=prod_1",
                  "cursor=not-a-cursor", "limit=0", "limit=ten", "type=" + "x" * 101]:
        r = server.get("/api/v1/events?" + query, token=admin)
        assert r.status == 422, (query, r)
        assert r.json["code"] == "validation_failed"
    assert server.post("/api/v1/events", {}, token=admin).status == 405


def test_the_log_survives_a_restart(make_server, tmp_path):
    db = str(tmp_path / "shop.db")
    server = make_server(env=admin_env(), db=db)
    admin = admin_token(server)
    make_product(server, admin)
    before = every_event(server, admin)
    server.stop()
    server = make_server(env=admin_env(), db=db)
    admin = admin_token(server)
    after = every_event(server, admin)
    assert after[:len(before)] == before
