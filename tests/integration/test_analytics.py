"""Section 7 of the contract, analytics: sales buckets, top products and the summary, against
the real binary, after a random mix of orders, payments, refunds and cancels; and the same
answers after a restart and after the derived tables are rebuilt from the event log."""
import json
import random
import sqlite3
import time
import urllib.parse
import uuid

import pytest

from shopd import ON_POSTGRES, admin_env, admin_token, new_customer, pg_schema_for, psql
from test_orders import make_product, order
from test_payments import SECRET, pay

DECLINED = "4000000000000002"


def get(server, token, path, **params):
    r = server.get(path + ("?" + urllib.parse.urlencode(params) if params else ""), token=token)
    assert r.status == 200, r
    return r.json


def sales(server, token, **params):
    return get(server, token, "/api/v1/analytics/sales", **params)


def utc_day(t=None):
    return time.strftime("%Y-%m-%d", time.gmtime(t))


def refund(server, admin, payment_id, amount=None):
    body = {} if amount is None else {"amount": amount}
    r = server.post(f"/api/v1/payments/{payment_id}/refunds", body, token=admin,
                    headers={"Idempotency-Key": "re-" + uuid.uuid4().hex})
    assert r.status == 201, r
    return r.json["amount"]


def log_events(db, events):
    """Appends (type, created_at ms, data) rows to the shop's event log, as another binary
    would have written them, on whichever backend the suite runs."""
    if ON_POSTGRES:
        values = ", ".join("('{}', {}, '{}')".format(t, at, json.dumps(d).replace("'", "''")) for t, at, d in events)
        psql(f"INSERT INTO {pg_schema_for(db)}.events(type, created_at, data) VALUES {values}")
        return
    with sqlite3.connect(db) as c:
        c.executemany("INSERT INTO events(type, created_at, data) VALUES (?, ?, ?)",
                      [(t, at, json.dumps(d)) for t, at, d in events])


@pytest.fixture
def shop(make_server, tmp_path):
    db = str(tmp_path / "shop.db")
    server = make_server(env=dict(admin_env(), SHOPD_WEBHOOK_SECRET=SECRET), db=db)
    return server, admin_token(server), db


def test_routes_are_for_admins(shop):
    server, _, _ = shop
    _, customer, _, _ = new_customer(server)
    for path in ["/api/v1/analytics/sales", "/api/v1/analytics/top-products", "/api/v1/analytics/summary"]:
        r = server.get(path)
        assert r.status == 401 and r.header("www-authenticate").startswith("Bearer"), path
        r = server.get(path, token=customer)
        assert r.status == 403 and r.json["code"] == "forbidden", path


def test_defaults_and_shapes_on_an_empty_shop(shop):
    server, admin, _ = shop
    body = sales(server, admin)
    assert body["currency"] == "USD" and body["interval"] == "day"
    assert len(body["buckets"]) == 30  # the last 30 days, today last
    assert body["buckets"][-1]["start"] in (utc_day() + "T00:00:00Z", utc_day(time.time() - 5) + "T00:00:00Z")
    for b in body["buckets"]:
        assert b == {"start": b["start"], "orders": 0, "items": 0, "revenue": 0, "refunds": 0,
                     "discounts": 0, "shipping": 0, "tax": 0}
    starts = [b["start"] for b in body["buckets"]]
    assert starts == sorted(starts) and len(set(starts)) == 30

    assert get(server, admin, "/api/v1/analytics/top-products")["items"] == []
    summary = get(server, admin, "/api/v1/analytics/summary")
    assert summary["currency"] == "USD"
    for w in ["today", "last_30_days"]:
        assert {k: summary[w][k] for k in ["orders", "revenue", "customers", "average_order_value", "discounts",
                                           "shipping", "tax"]} == {
            "orders": 0, "revenue": 0, "customers": 0, "average_order_value": 0, "discounts": 0, "shipping": 0, "tax": 0}


def test_explicit_ranges_and_intervals(shop):
    server, admin, _ = shop
    body = sales(server, admin, **{"from": "2026-01-01", "to": "2026-01-08"})
    assert [b["start"] for b in body["buckets"]] == [f"2026-01-0{d}T00:00:00Z" for d in range(1, 8)]
    assert body["from"] == "2026-01-01T00:00:00Z" and body["to"] == "2026-01-08T00:00:00Z"
    # 2026-01-01 is a Thursday: its week began on Monday 2025-12-29.
    weeks = sales(server, admin, **{"from": "2026-01-01", "to": "2026-01-20", "interval": "week"})["buckets"]
    assert [b["start"] for b in weeks] == ["2025-12-29T00:00:00Z", "2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z",
                                           "2026-01-19T00:00:00Z"]
    months = sales(server, admin, **{"from": "2025-11-15", "to": "2026-03-01", "interval": "month"})["buckets"]
    assert [b["start"][:10] for b in months] == ["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"]
    assert len(sales(server, admin, **{"from": "2026-01-01T12:00:00Z", "to": "2026-01-01T13:00:00Z"})["buckets"]) == 1
    assert sales(server, admin, **{"from": "2026-01-01", "to": "2026-01-01"})["buckets"] == []


def test_bad_parameters_are_422(shop):
    server, admin, _ = shop
    bad = [("sales", "from=yesterday"), ("sales", "to=2026-02-30"), ("sales", "interval=year"),
           ("sales", "interval=DAY"), ("sales", "from=2026-02-01&to=2026-01-01"), ("sales", "from=1900-01-01"),
           ("top-products", "limit=0"), ("top-products", "limit=abc"), ("top-products", "limit=-5"),
           ("top-products", "from=01/02/2026"), ("top-products", "sort=name")]
    for path, query in bad:
        r = server.get(f"/api/v1/analytics/{path}?{query}", token=admin)
        assert r.status == 422, (path, query, r)
        assert r.json["code"] == "validation_failed"
        assert r.json["errors"][0]["field"] in {"from", "to", "interval", "limit", "sort"}


class Ledger:
    """What the analytics must say, kept by the test as it makes the sales."""

    def __init__(self):
        self.paid = {}      # order id -> order
        self.refunds = 0
        self.customers = set()

    def revenue(self):
        return sum(o["total"] for o in self.paid.values())

    def items(self):
        return sum(i["quantity"] for o in self.paid.values() for i in o["items"])

    def by_product(self):
        out = {}
        for o in self.paid.values():
            for i in o["items"]:
                u, r = out.get(i["product_id"], (0, 0))
                out[i["product_id"]] = (u + i["quantity"], r + i["line_total"])
        return out


def make_sales(server, admin, seed, n_orders=36):
    rng = random.Random(seed)
    products = [make_product(server, admin, price=rng.randint(100, 9999), stock=10_000) for _ in range(6)]
    customers = [new_customer(server) for _ in range(4)]
    ledger = Ledger()
    actions = ["pay", "pay", "pay_refund", "pay_cancel", "pay_two_refunds", "pay_ship", "decline", "cancel", "leave"]
    for _ in range(n_orders):
        user, token, _, _ = rng.choice(customers)
        lines = rng.sample(products, rng.randint(1, 3))
        r = order(server, token, [(p["id"], rng.randint(1, 4)) for p in lines])
        assert r.status == 201, r
        o = r.json
        action = rng.choice(actions)
        if action == "decline":
            assert pay(server, token, o["id"], DECLINED).json["status"] == "failed"
            continue
        if action == "cancel":
            assert server.post(f"/api/v1/orders/{o['id']}/cancel", token=token).status == 200
            continue
        if action == "leave":
            continue
        p = pay(server, token, o["id"])
        assert p.status == 201 and p.json["status"] == "succeeded", p
        ledger.paid[o["id"]] = o
        ledger.customers.add(user["id"])
        if action == "pay_refund":
            ledger.refunds += refund(server, admin, p.json["id"], rng.randint(1, o["total"]))
        elif action == "pay_two_refunds":
            first = rng.randint(1, o["total"] // 2 or 1)
            ledger.refunds += refund(server, admin, p.json["id"], first)
            ledger.refunds += refund(server, admin, p.json["id"])  # the rest
        elif action == "pay_cancel":
            r = server.post(f"/api/v1/orders/{o['id']}/cancel", token=token)
            assert r.status == 200 and r.json["status"] == "cancelled", r
            ledger.refunds += o["total"]
        elif action == "pay_ship":
            assert server.post(f"/api/v1/orders/{o['id']}/ship", token=admin).status == 200
    assert ledger.paid, "the mix should pay some orders"
    return ledger, products


def answers(server, admin):
    """Everything the analytics say about the last 30 days, in every interval."""
    return {
        "day": sales(server, admin)["buckets"],
        "week": sales(server, admin, interval="week")["buckets"],
        "month": sales(server, admin, interval="month")["buckets"],
        "top": get(server, admin, "/api/v1/analytics/top-products", limit=100)["items"],
        "top_units": get(server, admin, "/api/v1/analytics/top-products", limit=100, sort="units")["items"],
        # without "to", which is the moment of asking
        "summary30": {k: v for k, v in get(server, admin, "/api/v1/analytics/summary")["last_30_days"].items()
                      if k != "to"},
    }


def check(server, admin, ledger, products, day_before):
    a = answers(server, admin)
    for interval in ["day", "week", "month"]:
        buckets = a[interval]
        assert sum(b["orders"] for b in buckets) == len(ledger.paid), interval
        assert sum(b["items"] for b in buckets) == ledger.items(), interval
        assert sum(b["revenue"] for b in buckets) == ledger.revenue(), interval
        assert sum(b["refunds"] for b in buckets) == ledger.refunds, interval
        # net sales: paid totals minus refunds
        assert sum(b["revenue"] - b["refunds"] for b in buckets) == ledger.revenue() - ledger.refunds
    assert len(a["day"]) == 30

    want = ledger.by_product()
    got = {p["product_id"]: (p["units"], p["revenue"]) for p in a["top"]}
    assert got == want
    revenues = [p["revenue"] for p in a["top"]]
    assert revenues == sorted(revenues, reverse=True)
    units = [p["units"] for p in a["top_units"]]
    assert units == sorted(units, reverse=True)
    names = {p["id"]: p["name"] for p in products}
    assert all(p["name"] == names[p["product_id"]] for p in a["top"])
    three = get(server, admin, "/api/v1/analytics/top-products", limit=3)["items"]
    assert three == a["top"][:3]

    s = a["summary30"]
    assert s["orders"] == len(ledger.paid)
    assert s["revenue"] == ledger.revenue()
    assert s["refunds"] == ledger.refunds
    assert s["net_revenue"] == ledger.revenue() - ledger.refunds
    assert s["customers"] == len(ledger.customers)
    assert s["average_order_value"] == (ledger.revenue() * 2 + len(ledger.paid)) // (2 * len(ledger.paid))
    today = get(server, admin, "/api/v1/analytics/summary")["today"]
    if utc_day() == day_before:  # every sale was made today (no midnight passed during the test)
        assert today["orders"] == s["orders"] and today["revenue"] == s["revenue"]
        assert today["customers"] == s["customers"]
        assert a["day"][-1]["revenue"] == ledger.revenue()
        todays = sales(server, admin, **{"from": day_before})["buckets"]
        assert len(todays) == 1 and todays[0]["orders"] == len(ledger.paid)
    return a


def test_totals_equal_paid_orders_minus_refunds_and_survive_restarts_and_rebuilds(shop, make_server):
    server, admin, db = shop
    day_before = utc_day()
    ledger, products = make_sales(server, admin, seed=20261125)
    assert ledger.refunds > 0 and 0 < len(ledger.paid) < 36  # the mix holds refunds and unpaid orders
    first = check(server, admin, ledger, products, day_before)

    # Correct across a restart: nothing counted twice, nothing lost.
    server.stop()
    server = make_server(env=dict(admin_env(), SHOPD_WEBHOOK_SECRET=SECRET), db=db)
    admin = admin_token(server)
    assert answers(server, admin) == first

    # A fresh data module on an old shop: the derived tables emptied, rebuilt from the log at start.
    server.stop()
    with sqlite3.connect(db) as c:
        for table in ["data_watermarks", "data_paid_orders", "data_paid_lines", "data_refunds", "data_sales_daily",
                      "data_product_daily", "data_customer_daily", "data_search_docs", "data_search_fts"]:
            c.execute(f"DELETE FROM {table}")
    server = make_server(env=dict(admin_env(), SHOPD_WEBHOOK_SECRET=SECRET), db=db)
    admin = admin_token(server)
    assert answers(server, admin) == first
    assert any(line.get("msg", "").startswith("sales: caught up") for line in server.log_lines())
    # The search index was rebuilt too.
    r = server.get("/api/v1/search?q=" + urllib.parse.quote(products[0]["name"]))
    assert r.status == 200 and products[0]["id"] in [i["id"] for i in r.json["items"]]

    # More sales after the rebuild are counted once, in their transaction.
    more, _ = make_sales(server, admin, seed=7, n_orders=8)
    a = answers(server, admin)
    assert sum(b["revenue"] for b in a["day"]) == ledger.revenue() + more.revenue()
    assert sum(b["refunds"] for b in a["day"]) == ledger.refunds + more.refunds


def test_discounts_shipping_and_tax_come_from_order_paid(shop, make_server):
    """Section 10: the buckets gain the paid orders' discount_total, shipping_total and tax_total.
    An order paid through the API counts whatever breakdown it has (none before checkout
    pricing); events written into the log count theirs, and an old event without one counts 0."""
    server, admin, db = shop
    product = make_product(server, admin, price=1500, stock=100)
    _, token, _, _ = new_customer(server)
    o = order(server, token, [(product["id"], 2)]).json
    assert pay(server, token, o["id"]).json["status"] == "succeeded"
    parts = {"discounts": o.get("discount_total", 0), "shipping": o.get("shipping_total", 0),
             "tax": o.get("tax_total", 0)}
    buckets = sales(server, admin)["buckets"]
    assert {k: sum(b[k] for b in buckets) for k in parts} == parts
    assert sum(b["revenue"] for b in buckets) == o["total"]

    # What a binary whose order module priced the checkout logged, and an order.paid from before.
    server.stop()
    now_ms = int(time.time() * 1000)
    user = o.get("user_id", "usr_x")
    line = {"product_id": product["id"], "variant_id": product["id"], "quantity": 1, "unit_price": 5000}
    priced = {"order_id": "ord_priced_1", "user_id": user, "payment_id": "pay_priced_1", "total": 5000 - 500 + 400 + 980,
              "currency": "USD", "items": [line], "subtotal": 5000, "discount_total": 500, "shipping_total": 400,
              "tax_total": 980}
    old = {"order_id": "ord_old_1", "user_id": user, "payment_id": "pay_old_1", "total": 5000, "currency": "USD",
           "items": [line]}
    log_events(db, [("order.paid", now_ms, priced), ("order.paid", now_ms, old)])
    server = make_server(env=dict(admin_env(), SHOPD_WEBHOOK_SECRET=SECRET), db=db)
    admin = admin_token(server)
    for interval in ["day", "week", "month"]:
        buckets = sales(server, admin, interval=interval)["buckets"]
        assert sum(b["orders"] for b in buckets) == 3, interval
        assert sum(b["revenue"] for b in buckets) == o["total"] + priced["total"] + old["total"], interval
        assert sum(b["discounts"] for b in buckets) == parts["discounts"] + 500, interval
        assert sum(b["shipping"] for b in buckets) == parts["shipping"] + 400, interval
        assert sum(b["tax"] for b in buckets) == parts["tax"] + 980, interval
    month = get(server, admin, "/api/v1/analytics/summary")["last_30_days"]
    assert (month["discounts"], month["shipping"], month["tax"]) == (
        parts["discounts"] + 500, parts["shipping"] + 400, parts["tax"] + 980)
