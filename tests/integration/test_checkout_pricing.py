"""Section 10, checkout pricing: quotes and orders priced by shipping zones and rates, tax
rates and discount codes, against the real binary."""
import threading
import time
import uuid

import pytest

from shopd import Server, admin_env, admin_token, new_customer
from test_orders import make_product, stock_of
from test_payments import pay

DE = {"name": "Grace Hopper", "line1": "Unter den Linden 1", "city": "Berlin", "postal_code": "10117",
      "country": "DE"}
US_CA = {"name": "Ada", "line1": "1 Market St", "city": "San Francisco", "postal_code": "94105",
         "country": "US", "region": "US-CA"}
US_OR = dict(US_CA, city="Portland", postal_code="97201", region="US-OR")
JP = {"name": "Ken", "line1": "1-1 Chiyoda", "city": "Tokyo", "postal_code": "100-0001", "country": "JP"}


def created(r):
    assert r.status == 201, r
    return r.json


def zone(server, admin, countries, rates=(), name=None):
    """A zone and its rates: rates are (name, price, extra fields) triples; returns (zone, [rate ids])."""
    z = created(server.post("/api/v1/shipping/zones", {"name": name or "Zone " + "+".join(countries),
                                                      "countries": list(countries)}, token=admin))
    ids = [created(server.post(f"/api/v1/shipping/zones/{z['id']}/rates", {"name": n, "price": p, **extra},
                               token=admin))["id"] for n, p, extra in rates]
    return z, ids


def tax_rate(server, admin, country, rate_bp, region=None, shipping_taxable=False):
    body = {"country": country, "name": f"VAT {country}", "rate_bp": rate_bp, "shipping_taxable": shipping_taxable}
    if region:
        body["region"] = region
    return created(server.post("/api/v1/tax/rates", body, token=admin))


def discount(server, admin, type_="percentage", value=10, **extra):
    body = {"code": "C" + uuid.uuid4().hex[:10].upper(), "type": type_, **extra}
    if value is not None:
        body["value"] = value
    return created(server.post("/api/v1/discounts", body, token=admin))


def body_of(lines, address, rate_id=None, code=None):
    body = {"items": [{"product_id": p, "quantity": q} for p, q in lines], "shipping_address": address}
    if rate_id:
        body["shipping_rate_id"] = rate_id
    if code:
        body["discount_code"] = code
    return body


def quote(server, token, lines, address, rate_id=None, code=None):
    return server.post("/api/v1/checkout/quote", body_of(lines, address, rate_id, code), token=token)


def place(server, token, lines, address, rate_id=None, code=None, key=None):
    headers = {"Idempotency-Key": key} if key else None
    return server.post("/api/v1/orders", body_of(lines, address, rate_id, code), token=token, headers=headers)


def usage_of(server, admin, d):
    return server.get(f"/api/v1/discounts/{d['id']}", token=admin).json["usage_count"]


@pytest.fixture
def shop(server):
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    return server, admin, customer


BREAKDOWN = ("subtotal", "discount_total", "shipping_total", "tax_total", "total", "currency", "discount")


def test_the_order_carries_exactly_what_its_quote_showed_and_the_payment_charges_its_total(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=1000, stock=10)
    b = make_product(server, admin, price=1999, stock=10)
    _, (standard, express) = zone(server, admin, ["DE", "AT"], [("Standard", 500, {}), ("Express", 1500, {})])
    tax_rate(server, admin, "DE", 1900, shipping_taxable=True)
    d = discount(server, admin, "fixed", 300)

    q = quote(server, customer, [(a["id"], 1), (b["id"], 1)], DE, code=d["code"].lower())
    assert q.status == 200, q
    q = q.json
    # without a rate: the options, and no shipping charged
    assert [(o["id"], o["name"], o["price"]) for o in q["shipping_options"]] == [
        (standard, "Standard", 500), (express, "Express", 1500)]
    assert q["shipping_rate_id"] is None and q["shipping_total"] == 0

    q = quote(server, customer, [(a["id"], 1), (b["id"], 1)], DE, standard, d["code"]).json
    # 300 off 2999: 100 and 200 (the remainder to the larger line); 19 % of 900, 1799 and 500
    assert [(i["line_total"], i["discount"], i["tax"]) for i in q["items"]] == [(1000, 100, 171), (1999, 200, 342)]
    assert (q["subtotal"], q["discount_total"], q["shipping_total"], q["tax_total"]) == (2999, 300, 500, 608)
    assert q["total"] == 2999 - 300 + 500 + 608
    assert q["discount"] == {"code": d["code"], "type": "fixed", "amount": 300}
    assert q["shipping_rate_id"] == standard
    # a quote reserves nothing and takes no use of the code
    assert stock_of(server, a["id"]) == 10 and usage_of(server, admin, d) == 0

    o = place(server, customer, [(a["id"], 1), (b["id"], 1)], DE, standard, d["code"])
    assert o.status == 201, o
    o = o.json
    assert {k: o[k] for k in BREAKDOWN} == {k: q[k] for k in BREAKDOWN}
    assert [(i["discount"], i["tax"]) for i in o["items"]] == [(100, 171), (200, 342)]
    assert o["shipping"] == {"rate_id": standard, "name": "Standard", "price": 500}
    assert o["email"] and o["email"] == o["email"].lower()
    assert usage_of(server, admin, d) == 1 and stock_of(server, a["id"]) == 9
    assert server.get(f"/api/v1/orders/{o['id']}", token=customer).json == o

    p = pay(server, customer, o["id"])
    assert p.status == 201, p
    assert p.json["amount"] == o["total"] == 2999 - 300 + 500 + 608
    # analytics counts what the paid order was made of
    deadline, bucket = time.time() + 10, {}
    while time.time() < deadline:
        buckets = server.get("/api/v1/analytics/sales", token=admin).json["buckets"]
        bucket = next((b for b in buckets if b["orders"]), {})
        if bucket:
            break
        time.sleep(0.1)
    assert (bucket["revenue"], bucket["discounts"], bucket["shipping"], bucket["tax"]) == (3807, 300, 500, 608)


def test_a_shop_without_zones_ships_everywhere_for_free(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=700)
    q = quote(server, customer, [(a["id"], 2)], JP).json
    assert q["shipping_options"] == [] and q["shipping_rate_id"] is None and q["shipping"] is None
    assert (q["subtotal"], q["shipping_total"], q["tax_total"], q["total"]) == (1400, 0, 0, 1400)
    o = place(server, customer, [(a["id"], 2)], JP)
    assert o.status == 201 and o.json["total"] == 1400 and o.json["shipping"] is None
    # a rate named when there are no zones applies to nothing
    r = place(server, customer, [(a["id"], 1)], JP, "rate_nonexistent")
    assert r.status == 422 and r.json["code"] == "validation_failed"


def test_shipping_errors_reserve_nothing(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=1000, stock=5)
    _, (de_rate,) = zone(server, admin, ["DE"], [("Standard", 500, {})])
    _, (fr_rate,) = zone(server, admin, ["FR"], [("Standard", 800, {})])
    d = discount(server, admin, usage_limit=5)
    cases = [
        (JP, de_rate, "shipping_unavailable"),          # an address in no zone
        (DE, None, "validation_failed"),                # an order must choose a rate once the shop has zones
        (DE, fr_rate, "validation_failed"),             # a rate of another zone
        (DE, "rate_made_up", "validation_failed"),
    ]
    for address, rate_id, code in cases:
        r = place(server, customer, [(a["id"], 1)], address, rate_id, d["code"])
        assert r.status == 422 and r.json["code"] == code, (address, rate_id, r)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert quote(server, customer, [(a["id"], 1)], JP).json["code"] == "shipping_unavailable"
    r = place(server, customer, [(a["id"], 1)], DE, None)
    assert any(e["field"] == "shipping_rate_id" for e in r.json["errors"])
    assert stock_of(server, a["id"]) == 5 and usage_of(server, admin, d) == 0
    assert server.get("/api/v1/orders", token=customer).json["items"] == []


def test_rates_apply_by_discounted_subtotal_and_are_free_over_a_threshold(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=3000, stock=50)
    _, (standard, small, big) = zone(server, admin, ["DE"], [
        ("Standard", 500, {"free_over": 5000}),
        ("Small parcel", 300, {"max_subtotal": 5000}),
        ("Freight", 900, {"min_subtotal": 5000})])
    q = quote(server, customer, [(a["id"], 2)], DE).json  # 6000
    assert [(o["id"], o["price"]) for o in q["shipping_options"]] == [(standard, 0), (big, 900)]
    # a 20 % code takes the subtotal to 4800: under both thresholds
    d = discount(server, admin, "percentage", 20)
    q = quote(server, customer, [(a["id"], 2)], DE, code=d["code"]).json
    assert q["discount_total"] == 1200
    assert [(o["id"], o["price"]) for o in q["shipping_options"]] == [(standard, 500), (small, 300)]
    r = place(server, customer, [(a["id"], 2)], DE, big, d["code"])
    assert r.status == 422 and r.json["code"] == "validation_failed"
    o = place(server, customer, [(a["id"], 2)], DE, small, d["code"]).json
    assert (o["shipping_total"], o["total"]) == (300, 4800 + 300)


def test_free_shipping_saves_the_rate_and_discounts_no_line(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=2000)
    _, (standard,) = zone(server, admin, ["DE"], [("Standard", 700, {})])
    d = discount(server, admin, "free_shipping", None)
    assert d["value"] is None
    o = place(server, customer, [(a["id"], 1)], DE, standard, d["code"])
    assert o.status == 201, o
    o = o.json
    assert (o["shipping_total"], o["discount_total"], o["total"]) == (0, 0, 2000)
    assert o["discount"] == {"code": d["code"], "type": "free_shipping", "amount": 700}
    assert o["shipping"]["price"] == 0 and o["items"][0]["discount"] == 0


def test_a_region_rate_beats_the_country_rate_and_some_places_owe_no_tax(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=1000)
    tax_rate(server, admin, "US", 500)
    tax_rate(server, admin, "US", 725, region="US-CA")
    assert quote(server, customer, [(a["id"], 1)], US_CA).json["tax_total"] == 73  # 72.5 rounds half up
    assert quote(server, customer, [(a["id"], 1)], US_OR).json["tax_total"] == 50
    o = place(server, customer, [(a["id"], 1)], US_CA).json
    assert (o["tax_total"], o["items"][0]["tax"], o["total"]) == (73, 73, 1073)
    assert o["shipping_address"]["region"] == "US-CA"
    assert quote(server, customer, [(a["id"], 1)], JP).json["tax_total"] == 0
    r = quote(server, customer, [(a["id"], 1)], dict(US_CA, region="CA-ON"))
    assert r.status == 422 and r.json["code"] == "validation_failed"


def test_prices_that_include_tax_show_the_tax_they_hold(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_PRICES_INCLUDE_TAX="true"))
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    a = make_product(server, admin, price=1200)
    tax_rate(server, admin, "DE", 2000)
    o = place(server, customer, [(a["id"], 1)], DE).json
    assert (o["subtotal"], o["tax_total"], o["total"]) == (1200, 200, 1200)


def test_a_code_that_does_not_apply_says_why_and_takes_nothing(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=1000, stock=5)
    other = make_product(server, admin, price=1000)
    now = time.time()
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))  # noqa: E731
    inactive = discount(server, admin)
    assert server.request("DELETE", f"/api/v1/discounts/{inactive['id']}", token=admin).status in (200, 204)
    cases = [
        ("NO-SUCH-CODE", "does not exist"),
        (inactive["code"], "no longer active"),
        (discount(server, admin, starts_at=iso(now + 3600))["code"], "not started"),
        (discount(server, admin, starts_at=iso(now - 7200), ends_at=iso(now - 3600))["code"], "ended"),
        (discount(server, admin, min_subtotal=1001)["code"], "at least 1001"),
        (discount(server, admin, product_ids=[other["id"]])["code"], "none of these items"),
    ]
    for code, why in cases:
        for r in (quote(server, customer, [(a["id"], 1)], DE, code=code),
                  place(server, customer, [(a["id"], 1)], DE, code=code)):
            assert r.status == 422 and r.json["code"] == "discount_invalid", (code, r)
            assert why in r.json["detail"], (code, r.json)
    assert stock_of(server, a["id"]) == 5
    assert server.get("/api/v1/orders", token=customer).json["items"] == []


def test_a_code_for_a_category_reaches_its_descendants(shop):
    server, admin, customer = shop
    parent = created(server.post("/api/v1/categories", {"name": "Apparel " + uuid.uuid4().hex[:6]}, token=admin))
    child = created(server.post("/api/v1/categories", {"name": "Shirts " + uuid.uuid4().hex[:6],
                                                      "parent_id": parent["id"]}, token=admin))
    shirt = make_product(server, admin, price=2000)
    mug = make_product(server, admin, price=1000)
    assert server.request("PATCH", f"/api/v1/products/{shirt['id']}", {"category_id": child["id"]},
                          token=admin).status == 200
    d = discount(server, admin, "percentage", 50, category_ids=[parent["id"]])
    q = quote(server, customer, [(shirt["id"], 1), (mug["id"], 1)], DE, code=d["code"]).json
    assert [i["discount"] for i in q["items"]] == [1000, 0] and q["total"] == 2000


def test_usage_limits_hold_and_uses_come_back_when_an_unpaid_order_is_cancelled(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=1000, stock=20)
    d = discount(server, admin, usage_limit=2, per_customer_limit=1)
    first = place(server, customer, [(a["id"], 1)], DE, code=d["code"]).json
    # the same customer again: their one use is taken
    r = place(server, customer, [(a["id"], 1)], DE, code=d["code"])
    assert r.status == 409 and r.json["code"] == "discount_exhausted", r
    assert quote(server, customer, [(a["id"], 1)], DE, code=d["code"]).json["code"] == "discount_exhausted"
    _, second_buyer, _, _ = new_customer(server)
    _, third_buyer, _, _ = new_customer(server)
    assert place(server, second_buyer, [(a["id"], 1)], DE, code=d["code"]).status == 201
    # two uses in all
    r = place(server, third_buyer, [(a["id"], 1)], DE, code=d["code"])
    assert r.status == 409 and r.json["code"] == "discount_exhausted"
    assert usage_of(server, admin, d) == 2 and stock_of(server, a["id"]) == 18
    # cancelled before payment: the use comes back, to the code and to the customer
    assert server.post(f"/api/v1/orders/{first['id']}/cancel", token=customer).status == 200
    assert usage_of(server, admin, d) == 1
    assert place(server, customer, [(a["id"], 1)], DE, code=d["code"]).status == 201


def test_a_paid_order_keeps_its_use_after_a_refunding_cancel(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_WEBHOOK_SECRET="whsec_integration_test_secret_0123456789"))
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    a = make_product(server, admin, price=1000)
    d = discount(server, admin, usage_limit=1)
    o = place(server, customer, [(a["id"], 1)], DE, code=d["code"]).json
    assert pay(server, customer, o["id"]).status == 201
    assert server.post(f"/api/v1/orders/{o['id']}/cancel", token=customer).status == 200
    assert usage_of(server, admin, d) == 1


def test_an_expired_order_gives_its_use_back(make_server):
    server = make_server(env=dict(admin_env(), SHOPD_ORDER_TTL="1"))
    admin = admin_token(server)
    _, customer, _, _ = new_customer(server)
    a = make_product(server, admin, price=1000)
    d = discount(server, admin, usage_limit=1)
    o = place(server, customer, [(a["id"], 1)], DE, code=d["code"]).json
    assert usage_of(server, admin, d) == 1
    deadline = time.time() + 10
    while time.time() < deadline and server.get(f"/api/v1/orders/{o['id']}", token=customer).json["status"] != "expired":
        time.sleep(0.2)
    assert server.get(f"/api/v1/orders/{o['id']}", token=customer).json["status"] == "expired"
    assert usage_of(server, admin, d) == 0
    assert place(server, customer, [(a["id"], 1)], DE, code=d["code"]).status == 201


def test_a_replayed_order_shows_its_first_breakdown_after_rates_and_codes_change(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=1000)
    z, (standard,) = zone(server, admin, ["DE"], [("Standard", 500, {})])
    t = tax_rate(server, admin, "DE", 1900)
    d = discount(server, admin, "percentage", 10)
    again_key = "k-" + uuid.uuid4().hex
    one = place(server, customer, [(a["id"], 1)], DE, standard, d["code"], key=again_key)
    assert server.request("PATCH", f"/api/v1/shipping/zones/{z['id']}/rates/{standard}", {"price": 900},
                          token=admin).status == 200
    assert server.request("PATCH", f"/api/v1/tax/rates/{t['id']}", {"rate_bp": 700}, token=admin).status == 200
    assert server.request("DELETE", f"/api/v1/discounts/{d['id']}", token=admin).status in (200, 204)
    replay = place(server, customer, [(a["id"], 1)], DE, standard, d["code"], key=again_key)
    assert replay.status == 201 and replay.header("idempotent-replayed") == "true"
    assert replay.json == one.json
    assert (replay.json["shipping_total"], replay.json["tax_total"], replay.json["discount_total"]) == (500, 171, 100)
    # and a stored order reads as it was made
    assert server.get(f"/api/v1/orders/{one.json['id']}", token=customer).json["tax_total"] == 171


def test_bad_pricing_input_is_a_422(shop):
    server, admin, customer = shop
    a = make_product(server, admin, price=1000)
    for body in ({"shipping_rate_id": 5}, {"discount_code": ""}, {"discount_code": "x" * 65},
                 {"shipping_address": dict(DE, region=7)}):
        b = dict(body_of([(a["id"], 1)], DE), **body)
        for path in ("/api/v1/checkout/quote", "/api/v1/orders"):
            r = server.post(path, b, token=customer)
            assert r.status == 422 and r.json["code"] == "validation_failed", (path, body, r)
    # without a token: a guest's quote (section 11); a bad token is still 401
    assert server.post("/api/v1/checkout/quote", body_of([(a["id"], 1)], DE)).status == 200
    assert server.post("/api/v1/checkout/quote", body_of([(a["id"], 1)], DE), token="expired.or.forged").status == 401


def test_concurrent_orders_on_one_code_across_three_processes_never_pass_its_limit(tmp_path):
    db = str(tmp_path / "shared.db")
    env = dict(admin_env(), SHOPD_JWT_SECRET="a-shared-secret-for-three-replicas-0123456789",
               SHOPD_MAX_OPEN_ORDERS="0")
    servers = [Server(env=env, db=db).start() for _ in range(3)]
    try:
        admin = admin_token(servers[0])
        a = make_product(servers[0], admin, price=1000, stock=1000)
        d = discount(servers[0], admin, usage_limit=7)
        # one buyer who may use it twice, from every process at once
        greedy = discount(servers[0], admin, per_customer_limit=2)
        buyers = [new_customer(servers[i % 3])[1] for i in range(24)]
        _, one_buyer, _, _ = new_customer(servers[0])
        statuses, greedy_statuses = [], []
        lock = threading.Lock()
        barrier = threading.Barrier(len(buyers) + 9)

        def buy(i, token, code, into):
            s = servers[i % 3]
            barrier.wait(10)
            r = place(s, token, [(a["id"], 1)], DE, code=code)
            with lock:
                into.append(r.status)

        threads = [threading.Thread(target=buy, args=(i, t, d["code"], statuses)) for i, t in enumerate(buyers)]
        threads += [threading.Thread(target=buy, args=(i, one_buyer, greedy["code"], greedy_statuses))
                    for i in range(9)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert statuses.count(201) == 7 and statuses.count(409) == 17, statuses
        assert greedy_statuses.count(201) == 2 and greedy_statuses.count(409) == 7, greedy_statuses
        for s in servers:
            assert usage_of(s, admin, d) == 7 and usage_of(s, admin, greedy) == 2
        assert stock_of(servers[1], a["id"]) == 1000 - 9
    finally:
        for s in servers:
            s.close()
